-- How did each BPF function? The six checks of BPF on BPFs (chapter D.c) per output: yes, no or unknown.
SELECT s.output_id, o.title, s.check_meetings, s.check_mailing_list, s.check_process_documented,
       s.check_draft_before_meeting, s.check_session, s.check_output_published, s.checks_passed, s.checks_known
FROM scorecard s JOIN outputs o ON o.id = s.output_id
ORDER BY s.output_id
