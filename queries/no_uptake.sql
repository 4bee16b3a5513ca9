-- Which outputs were not picked up at all in the sources read?
SELECT o.id, o.year, o.theme, o.title
FROM outputs o JOIN metrics m ON m.output_id = o.id
WHERE m.documents = 0
ORDER BY o.year, o.id
