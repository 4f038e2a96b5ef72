DROP TRIGGER job_events_notify ON job_events;
DROP FUNCTION vf_notify_job_event();
