#!/usr/bin/env python3
"""Score winnow's clusters against a ground truth (standard library only).

usage: dedup_eval.py TRUTH PRED.tsv [--project FILE.winnow] [--json]

TRUTH is either
  - a TSV with a header holding record_id and cluster_id columns (what
    ../shared/bench/gen_corpus.py writes as corpus.truth.tsv), or
  - a CSV with one column of ';'-separated record ids per true cluster of two
    or more records (merged_record_ids.csv); every other record is alone.
PRED.tsv is `winnow clusters --tsv`: a header, then record_id<TAB>cluster.

Prints pairwise precision, recall and F1 over all within-cluster pairs, and
the removal view: one record kept per predicted cluster (the first listed),
the others removed; a removal is wrong when the kept record is another work
(a record wrongly removed), and a true duplicate not removed is missed.
With --project, true pairs the run did not merge are looked up in the
project's review queue (pairs scored "possible" and not yet decided).
"""
import csv
import json
import sqlite3
import sys
from collections import defaultdict


def read_truth(path, universe):
    with open(path, newline="") as fh:
        head = fh.readline()
        fh.seek(0)
        if "\t" in head and "cluster_id" in head:
            return {r["record_id"]: r["cluster_id"]
                    for r in csv.DictReader(fh, delimiter="\t")}
        rows = list(csv.reader(fh))
    truth = {rid: "solo:" + rid for rid in universe}
    for k, row in enumerate(rows[1:]):
        for rid in row[0].split(";"):
            truth[rid.strip()] = "c%d" % k
    return truth


def read_pred(path):
    order, pred = [], {}
    with open(path, newline="") as fh:
        rd = csv.reader(fh, delimiter="\t")
        next(rd)
        for row in rd:
            order.append(row[0])
            pred[row[0]] = row[1]
    return order, pred


def pairs_of(groups):
    return sum(len(g) * (len(g) - 1) // 2 for g in groups)


def review_pairs(project):
    db = sqlite3.connect("file:%s?mode=ro" % project, uri=True)
    sql = ("SELECT COALESCE(ra.source_ref, ra.id), COALESCE(rb.source_ref, rb.id), p.rule,"
           " p.outcome = 'possible' AND NOT EXISTS (SELECT 1 FROM dedup_decision d"
           " WHERE d.a = p.a AND d.b = p.b)"
           " FROM dedup_pair p JOIN record ra ON ra.id = p.a JOIN record rb ON rb.id = p.b")
    queue, vetoed = set(), {}
    for a, b, rule, queued in db.execute(sql):
        if queued:
            queue.add((str(a), str(b)))
        elif rule.startswith("veto:"):
            vetoed[(str(a), str(b))] = rule
    return queue, vetoed


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    project = None
    if "--project" in sys.argv:
        project = sys.argv[sys.argv.index("--project") + 1]
        args.remove(project)
    if len(args) != 2:
        sys.exit(__doc__)
    order, pred = read_pred(args[1])
    truth = read_truth(args[0], order)
    missing = [r for r in truth if r not in pred]
    if missing:
        sys.exit("dedup_eval: %d records of the truth are not in %s (first: %s)"
                 % (len(missing), args[1], missing[0]))
    by_pred, by_true = defaultdict(list), defaultdict(list)
    for rid in order:
        by_pred[pred[rid]].append(rid)
        by_true[truth[rid]].append(rid)
    tp = 0
    for members in by_pred.values():
        cnt = defaultdict(int)
        for m in members:
            cnt[truth[m]] += 1
        tp += sum(v * (v - 1) // 2 for v in cnt.values())
    pp, tpairs = pairs_of(by_pred.values()), pairs_of(by_true.values())
    precision = tp / pp if pp else 1.0
    recall = tp / tpairs if tpairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    wrong = correct = 0
    for members in by_pred.values():
        kept = members[0]
        for m in members[1:]:
            if truth[m] == truth[kept]:
                correct += 1
            else:
                wrong += 1
    true_dups = len(order) - len(by_true)
    out = {
        "records": len(order), "true_clusters_multi": sum(1 for g in by_true.values() if len(g) > 1),
        "true_duplicates": true_dups, "predicted_removed": len(order) - len(by_pred),
        "pairs_true": tpairs, "pairs_predicted": pp, "pairs_correct": tp,
        "precision": round(precision, 6), "recall": round(recall, 6), "f1": round(f1, 6),
        "wrongly_removed": wrong, "duplicates_missed": true_dups - correct,
    }
    if project:
        queue, vetoed = review_pairs(project)
        missed_in_queue = missed = 0
        vetoes = defaultdict(int)
        for members in by_true.values():
            for i in range(len(members)):
                for j in range(i + 1, len(members)):
                    a, b = members[i], members[j]
                    if pred[a] == pred[b]:
                        continue
                    missed += 1
                    missed_in_queue += (a, b) in queue or (b, a) in queue
                    rule = vetoed.get((a, b)) or vetoed.get((b, a))
                    if rule:
                        vetoes[rule] += 1
        out["true_pairs_not_merged"] = missed
        out["of_which_in_review_queue"] = missed_in_queue
        out["of_which_kept_apart_by_veto"] = dict(sorted(vetoes.items()))
        out["review_queue"] = len(queue)
    if "--json" in sys.argv:
        print(json.dumps(out, indent=1))
    else:
        for k, v in out.items():
            print("%-26s %s" % (k, v))


if __name__ == "__main__":
    main()
