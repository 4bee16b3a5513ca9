#!/usr/bin/env python3
"""Runs text-matcher (pip install text-matcher) over every (output, document) pair of a job file written by
`cargo bench --bench reuse`, in one process, and writes its detections with character spans and the time spent
matching. Usage: text-matcher-driver.py JOB.json RESULT.json

text-matcher compares two texts at a time with its defaults (threshold 3, cutoff 5, trigrams). It removes English
stopwords when NLTK's stopword list is installed; on machines without it (NLTK downloads it from the network) it
keeps them, and the result says which.
"""
import contextlib
import io
import json
import sys
import time

from text_matcher.matcher import Matcher, Text


def main():
    job = json.load(open(sys.argv[1]))
    try:
        import nltk

        nltk.corpus.stopwords.words("english")
        stops = True
    except LookupError:
        stops = False
    sink = io.StringIO()
    detections = []
    start = time.perf_counter()
    with contextlib.redirect_stdout(sink):
        outputs = {k: Text(v, k, removeStopwords=stops) for k, v in job["outputs"].items()}
        for doc_id, text in job["docs"].items():
            doc = Text(text, doc_id, removeStopwords=stops)
            for out_id, out in outputs.items():
                m = Matcher(out, doc)
                _, locs_out, locs_doc = m.match()
                for (os_, oe), (ds, de) in zip(locs_out, locs_doc):
                    detections.append([doc_id, out_id, ds, de, os_, oe])
    elapsed = time.perf_counter() - start
    json.dump({"seconds": elapsed, "stopwords_removed": stops, "detections": detections}, open(sys.argv[2], "w"))


if __name__ == "__main__":
    main()
