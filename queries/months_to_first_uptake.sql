-- How fast was each output picked up? Months from publication to the first dated citing document, fastest first.
SELECT m.output_id, o.title, m.published, m.first_uptake, m.months_to_first_uptake, m.documents
FROM metrics m JOIN outputs o ON o.id = m.output_id
WHERE m.months_to_first_uptake IS NOT NULL
ORDER BY m.months_to_first_uptake, m.output_id
