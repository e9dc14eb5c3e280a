-- One record in full, for the explorer's detail panel.
SELECT * FROM slippage_detail WHERE report_id = $report_id AND record_no = $record_no;
