-- SQLite runs in one process: events reach WebSocket clients in memory after commit.
-- This migration exists so both backends keep the same migration names.
SELECT 1;
