-- Which outputs cite earlier outputs? Documents that are a copy of one tracked output and cite another
-- (continuity between forums, e.g. the 2016 IXP output building on the 2015 one); counted for the cited output,
-- never for the copied one.
SELECT d.copy_of AS citing_output, c.output_id AS cited_output, d.url, c.mentions, c.strongest
FROM cites c
JOIN documents d ON d.doc_id = c.doc_id
WHERE d.copy_of IS NOT NULL AND d.copy_of <> c.output_id
ORDER BY citing_output, cited_output
