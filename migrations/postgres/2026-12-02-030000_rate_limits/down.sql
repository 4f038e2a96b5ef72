DROP FUNCTION vf_rate_take(text[], bigint[], text, bigint);
DROP TABLE rate_limits;
