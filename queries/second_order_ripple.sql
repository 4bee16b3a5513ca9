-- How far do the ripples spread? Documents of the second and later generations (documents that link to a document
-- citing the output, and so on) per output and year.
SELECT output_id, generation, year, documents
FROM ripple
WHERE generation >= 2 AND documents > 0
ORDER BY output_id, generation, year
