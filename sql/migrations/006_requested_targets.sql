-- 006_requested_targets: a later date asked for but not yet agreed, and the reason printed with it, on each recommendation.
-- "31/03/2025 (requested: supplier delayed)" in a revised-date column is not a target (the agreed
-- date stays in force) but is what a committee is asked to approve or refuse: kept here. Earlier
-- reports have NULL in both.
ALTER TABLE recommendations ADD COLUMN requested_target_date DATE;
ALTER TABLE recommendations ADD COLUMN requested_reason VARCHAR;
