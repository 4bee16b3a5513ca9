-- Which passages of the outputs are reused, and where? Every reused passage with its document, most similar first.
SELECT p.output_id, d.title, d.url, d.published, d.copy_of, p.similarity, p.doc_end - p.doc_start AS chars, p.snippet
FROM passages p JOIN documents d ON d.doc_id = p.doc_id
ORDER BY p.output_id, p.similarity DESC
