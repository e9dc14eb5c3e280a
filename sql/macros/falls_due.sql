-- falls_due(status, target_in_force, report_date, meeting): whether an item falls due before the next meeting: open, its target in force not yet past at the report date, and before the meeting day. A target to be confirmed (NULL) never falls due.
-- One definition for the Committee page's list, the pack and the Overview's count.
CREATE OR REPLACE MACRO falls_due(status, target_in_force, report_date, meeting) AS
coalesce(status = 'open' AND target_in_force >= report_date AND target_in_force < meeting, false);
