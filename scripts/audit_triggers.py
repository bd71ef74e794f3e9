#!/usr/bin/env python3
"""Prints the three audit triggers of a table, in the form schema.sql uses.

    python3 scripts/audit_triggers.py TABLE [--id EXPR] [--flags a,b] COL ...

A migration that adds a column to an audited table drops that table's three
triggers and pastes the new ones; a new table a clerk writes gets its three.
`--id` is the record id logged (default: id); `--flags` are 0/1 columns
(an insert logs them only when set); `--mask` columns hold ID numbers.
"""
import sys

args = sys.argv[1:]
table = args.pop(0)
rid = "id"
flags = set()
mask = set()
cols = []
while args:
    a = args.pop(0)
    if a == "--id":
        rid = args.pop(0)
    elif a == "--flags":
        flags = set(args.pop(0).split(","))
    elif a == "--mask":
        mask = set(args.pop(0).split(","))
    else:
        cols.append(a)

SESSION = """    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)"""
FROM = "    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;"


def val(side, c):
    v = f"{side}.{c}"
    if c in mask:
        v = f"CASE WHEN {v} IS NULL THEN NULL ELSE substr({v}, 1, 4) || '**********' || substr({v}, -4) END"
    return v


def whole(side):
    parts = []
    for c in cols:
        empty = "0" if c in flags else "''"
        parts.append(f"'{c}', nullif({val(side, c)}, {empty})")
    return "json_patch('{}', json_object(" + ", ".join(parts) + "))"


def changed(side):
    parts = [f"'{c}', CASE WHEN OLD.{c} IS NOT NEW.{c} THEN {val(side, c)} END" for c in cols]
    return "json_patch('{}', json_object(" + ", ".join(parts) + "))"


rid_new = rid.replace("@", "NEW.") if "@" in rid else f"NEW.{rid}"
rid_old = rid.replace("@", "OLD.") if "@" in rid else f"OLD.{rid}"
out = []
out.append(f"CREATE TRIGGER {table}_audit_insert AFTER INSERT ON {table}\nBEGIN\n{SESSION}\n"
           f"    SELECT s.id, '{table}', {rid_new}, 'insert',\n        NULL,\n        {whole('NEW')}\n{FROM}\nEND;")
when = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in cols)
out.append(f"CREATE TRIGGER {table}_audit_update AFTER UPDATE OF {', '.join(cols)} ON {table}\nWHEN {when}\nBEGIN\n{SESSION}\n"
           f"    SELECT s.id, '{table}', {rid_new}, 'update',\n        {changed('OLD')},\n        {changed('NEW')}\n{FROM}\nEND;")
out.append(f"CREATE TRIGGER {table}_audit_delete AFTER DELETE ON {table}\nBEGIN\n{SESSION}\n"
           f"    SELECT s.id, '{table}', {rid_old}, 'delete',\n        {whole('OLD')},\n        NULL\n{FROM}\nEND;")
print("\n".join(out))
