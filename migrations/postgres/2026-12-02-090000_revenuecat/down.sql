DROP POLICY revenuecat_subscriptions_isolation ON revenuecat_subscriptions;
DROP TABLE revenuecat_subscriptions;
DROP POLICY revenuecat_events_owner ON revenuecat_events;
DROP TABLE revenuecat_events;
DROP POLICY revenuecat_configs_owner ON revenuecat_configs;
DROP TABLE revenuecat_configs;
