DROP TABLE revenuecat_subscriptions;
DROP TABLE revenuecat_events;
DROP TABLE revenuecat_configs;
