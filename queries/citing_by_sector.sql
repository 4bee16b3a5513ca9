-- Who takes the outputs up? Citing documents per sector of the publisher ("unclassified" when unknown); the
-- catalogue's own pages (own_sites) only when they were counted (`cites.counted`).
SELECT COALESCE(d.sector, 'unclassified') AS sector, COUNT(DISTINCT d.doc_id) AS documents
FROM documents d
WHERE d.copy_of IS NULL
  AND d.doc_id IN (SELECT doc_id FROM cites WHERE counted = true)
GROUP BY COALESCE(d.sector, 'unclassified')
ORDER BY documents DESC, sector
