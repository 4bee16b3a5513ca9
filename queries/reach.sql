-- How broad is each output's footprint? Distinct publishers, sectors and countries citing it, with its half-life
-- and the years it was active.
SELECT output_id, documents, publishers, sectors, countries, half_life_years, years_active, first_year, last_year
FROM metrics
WHERE documents > 0
ORDER BY sectors DESC, countries DESC, documents DESC, output_id
