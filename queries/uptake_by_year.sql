-- How does uptake evolve over the years? Citing documents per year over all outputs: the overall ripple.
SELECT year, SUM(documents) AS documents, SUM(mentions) AS mentions, SUM(passages) AS passages
FROM uptake
WHERE year IS NOT NULL
GROUP BY year
ORDER BY year
