"""Adding deltas to a summary table of counts (``step_day``, ``run_day``), in one place.

Both tables are sums over summary rows, kept by deltas: when the summariser
deletes a run's rows and writes them again, what the old rows counted is taken
away and what the new ones count is added, in the same transaction. A cell
whose rows all went elsewhere is deleted, not left at zero, so each table is
exactly what a rebuild from scratch writes.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection


def apply_deltas(
    conn: Connection,
    table: str,
    key: Sequence[str],
    sums: Sequence[str],
    rows: list[tuple],
    emptied: Sequence[str],
    earliest: Sequence[str] = (),
) -> None:
    """Upsert ``rows`` (``key`` columns, then ``sums``, then ``earliest``) into ``table``.

    ``sums`` are added; ``earliest`` keep the smaller value (a minimum cannot be
    taken away, so it can only be as early as, or earlier than, what a rebuild
    gives); a cell is deleted when all of ``emptied`` reach zero after a delta that
    lowered one of them.
    """
    if not rows:
        return
    columns = (*key, *sums, *earliest)
    postgres = conn.dialect.name == "postgresql"
    least = "LEAST" if postgres else "min"
    update = ", ".join(
        [f"{c} = {table}.{c} + excluded.{c}" for c in sums]
        + [f"{c} = {least}({table}.{c}, excluded.{c})" for c in earliest]
    )
    upsert = f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {update}"
    is_empty = " AND ".join(f"{table}.{c} = 0" for c in emptied)
    if postgres:
        from flowdesk.reports.summarise import insert_rows

        delta = f"{table}_delta"
        conn.exec_driver_sql(
            f"CREATE TEMP TABLE IF NOT EXISTS {delta} (LIKE {table}) ON COMMIT DELETE ROWS"
        )
        insert_rows(conn, delta, columns, rows)
        conn.exec_driver_sql(
            f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(columns)} "
            f"FROM {delta} {upsert}"
        )
        same = " AND ".join(f"{table}.{c} = d.{c}" for c in key)
        lowered = " OR ".join(f"d.{c} < 0" for c in emptied)
        conn.exec_driver_sql(
            f"DELETE FROM {table} USING {delta} d WHERE {same} AND {is_empty} AND ({lowered})"
        )
        conn.exec_driver_sql(f"TRUNCATE {delta}")
        return
    at = [columns.index(c) for c in emptied]
    marks = ", ".join("?" * len(columns))
    key_is = " AND ".join(f"{c} = ?" for c in key)
    cursor = conn.connection.cursor()
    try:
        cursor.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks}) {upsert}", rows
        )
        cursor.executemany(
            f"DELETE FROM {table} WHERE {key_is} AND {is_empty}",
            [r[: len(key)] for r in rows if any(r[i] < 0 for i in at)],
        )
    finally:
        cursor.close()
