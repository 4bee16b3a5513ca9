-- Which passages of one output are reused, where, and how faithfully (copies of the output left out)? Run with
-- --param output_id=<id>.
-- param output_id = 2015-gender
SELECT d.published, d.title, d.publisher, d.url, p.similarity, p.doc_end - p.doc_start AS chars,
       p.output_start, p.output_end, p.snippet
FROM passages p JOIN documents d ON d.doc_id = p.doc_id
WHERE p.output_id = :output_id AND d.copy_of IS NULL
ORDER BY d.published, p.similarity DESC
