-- Which publishers take up several outputs? Publishers citing or reusing two or more distinct outputs (the
-- catalogue's own pages only when they were counted).
SELECT d.publisher, COALESCE(d.sector, 'unclassified') AS sector, COUNT(DISTINCT x.output_id) AS outputs,
       COUNT(DISTINCT d.doc_id) AS documents
FROM documents d
JOIN (SELECT doc_id, output_id FROM cites WHERE counted = true) x
  ON x.doc_id = d.doc_id
WHERE d.publisher IS NOT NULL AND d.copy_of IS NULL
GROUP BY d.publisher, COALESCE(d.sector, 'unclassified')
HAVING COUNT(DISTINCT x.output_id) >= 2
ORDER BY outputs DESC, documents DESC, d.publisher
