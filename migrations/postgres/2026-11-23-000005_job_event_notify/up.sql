-- Every committed job event is announced on channel `voxflow_job_events`, so a WebSocket
-- client connected to any API process hears events produced by any worker process.
-- NOTIFY payloads are limited to 8000 bytes: a larger event is announced without its data
-- and the listener reads the row.
CREATE FUNCTION vf_notify_job_event() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    payload text;
BEGIN
    payload := json_build_object('job_id', NEW.job_id, 'seq', NEW.seq, 'tenant_id', NEW.tenant_id,
                                 'event_type', NEW.event_type, 'data', NEW.data, 'at', NEW.at)::text;
    IF octet_length(payload) > 7900 THEN
        payload := json_build_object('job_id', NEW.job_id, 'seq', NEW.seq, 'tenant_id', NEW.tenant_id,
                                     'event_type', NEW.event_type, 'data', NULL, 'at', NEW.at,
                                     'truncated', true)::text;
    END IF;
    PERFORM pg_notify('voxflow_job_events', payload);
    RETURN NEW;
END $$;
CREATE TRIGGER job_events_notify AFTER INSERT ON job_events
    FOR EACH ROW EXECUTE FUNCTION vf_notify_job_event();
