-- none_label(): the label shown, filtered on and grouped by for a missing directorate or risk level: '(none)'.
-- Defined once here; the seed risk_levels.csv uses the same text for its row of records without a risk level.
CREATE OR REPLACE MACRO none_label() AS '(none)';
