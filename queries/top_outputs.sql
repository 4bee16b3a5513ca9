-- Which outputs were taken up most? Outputs ranked by the number of distinct documents that cite or reuse them
-- (copies of outputs excluded), with mentions, passages and reused characters.
SELECT o.id, o.year, o.title, SUM(u.documents) AS documents, SUM(u.mentions) AS mentions,
       SUM(u.passages) AS passages, SUM(u.reused_chars) AS reused_chars
FROM outputs o JOIN uptake u ON u.output_id = o.id
GROUP BY o.id, o.year, o.title
ORDER BY documents DESC, o.id
