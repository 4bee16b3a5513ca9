-- How does each recurring theme fare over time? Citing documents per theme and year (any output of the theme).
SELECT theme, year, documents, outputs, cumulative_documents
FROM themes
WHERE year IS NOT NULL
ORDER BY theme, year
