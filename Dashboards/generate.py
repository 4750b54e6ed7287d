#!/usr/bin/env python3
"""Writes the Grafana dashboards (driftwatch-fleet.json, driftwatch-model.json) from the panel list below,
so their SQL lives in one readable place. Run it after editing; a test runs every panel's query against a
database the agent filled and fails if the committed JSON differs from what this script writes."""
import json
import pathlib

HERE = pathlib.Path(__file__).resolve().parent
DATASOURCE = {"type": "grafana-postgresql-datasource", "uid": "driftwatch-pg"}
MODEL = "d.name = '$model'"


def target(sql, fmt="time_series", ref="A"):
    return {"refId": ref, "datasource": DATASOURCE, "editorMode": "code", "format": fmt, "rawQuery": True,
            "rawSql": " ".join(sql.split())}


def panel(pid, title, kind, sql, x, y, w=12, h=8, fmt="time_series", unit=None, description="", overrides=None):
    p = {"id": pid, "type": kind, "title": title, "description": description, "datasource": DATASOURCE,
         "gridPos": {"x": x, "y": y, "w": w, "h": h}, "targets": [target(sql, fmt)],
         "fieldConfig": {"defaults": {}, "overrides": overrides or []}, "options": {}}
    if unit:
        p["fieldConfig"]["defaults"]["unit"] = unit
    return p


def dashboard(uid, title, panels, templating, description):
    return {"uid": uid, "title": title, "description": description, "schemaVersion": 39, "version": 1,
            "editable": True, "timezone": "utc", "tags": ["driftwatch"],
            "time": {"from": "now-30d", "to": "now"}, "refresh": "1m",
            "templating": {"list": templating}, "annotations": {"list": []}, "panels": panels}


def series(metric, label_sql, extra=""):
    return f"""
        SELECT m.window_start AS "time", {label_sql} AS metric, m.value
        FROM window_metrics m JOIN models d USING (model_id)
        WHERE {MODEL} AND m.metric = '{metric}' {extra} AND $__timeFilter(m.window_start)
        ORDER BY 1, 2"""


model_var = {"name": "model", "label": "Model", "type": "query", "datasource": DATASOURCE,
             "query": "SELECT name FROM models ORDER BY 1", "definition": "SELECT name FROM models ORDER BY 1",
             "refresh": 1, "current": {}, "includeAll": False, "multi": False}

model_panels = [
    panel(1, "Drift statistic per feature and method", "timeseries",
          series("drift_statistic", "m.feature || ' ' || m.method"), 0, 0,
          description="Each closed window's drift statistic against the reference (KS D, PSI, …)"),
    panel(2, "Share of drifted features", "timeseries",
          series("drifted_feature_ratio", "'drifted share'"), 12, 0, unit="percentunit"),
    panel(3, "PSI per feature", "status-history",
          series("drift_statistic", "m.feature", "AND m.method = 'psi'"), 0, 8, w=24,
          description="A heat map of PSI by feature and window (thresholds: 0.1 and 0.2)"),
    panel(4, "KS p-value per feature", "status-history",
          series("p_value", "m.feature", "AND m.method = 'ks'"), 0, 16, w=24),
    panel(5, "Realized F1 / precision / recall (macro) and label coverage", "timeseries",
          """SELECT m.window_start AS "time", m.metric, m.value
             FROM window_metrics m JOIN models d USING (model_id)
             WHERE """ + MODEL + """ AND ((m.metric IN ('f1', 'precision', 'recall') AND m.method = 'macro')
                   OR m.metric IN ('accuracy', 'label_coverage')) AND $__timeFilter(m.window_start)
             ORDER BY 1, 2""", 0, 24, unit="percentunit"),
    panel(6, "Serving latency (ms)", "timeseries",
          series("latency_p50", "'p50'").replace("m.metric = 'latency_p50'",
                                                 "m.metric IN ('latency_p50', 'latency_p95', 'latency_p99')")
          .replace("'p50' AS metric", "replace(m.metric, 'latency_', '') AS metric"), 12, 24, unit="ms"),
    panel(7, "Volume and late events", "timeseries",
          """SELECT m.window_start AS "time", m.metric, m.value
             FROM window_metrics m JOIN models d USING (model_id)
             WHERE """ + MODEL + """ AND m.metric IN ('volume', 'late_events') AND $__timeFilter(m.window_start)
             ORDER BY 1, 2""", 0, 32),
    panel(8, "Missing values per feature", "timeseries", series("missing_rate", "m.feature"), 12, 32,
          unit="percentunit"),
    panel(9, "Alerts", "table",
          """SELECT a.starts_at AS "time", a.rule, a.state, a.severity, a.labels::text AS labels, a.ends_at
             FROM alerts a JOIN models d USING (model_id)
             WHERE """ + MODEL + """ AND (a.state <> 'resolved' OR $__timeFilter(a.starts_at))
             ORDER BY a.starts_at DESC LIMIT 200""", 0, 40, w=24, fmt="table"),
]

fleet_panels = [
    panel(1, "Models: latest closed window", "table", """
        SELECT d.name AS model,
          (SELECT m.window_start FROM window_metrics m WHERE m.model_id = d.model_id AND m.metric = 'volume'
             ORDER BY m.window_start DESC LIMIT 1) AS latest_window,
          (SELECT m.value FROM window_metrics m WHERE m.model_id = d.model_id AND m.metric = 'drifted_feature_ratio'
             ORDER BY m.window_start DESC LIMIT 1) AS drifted_share,
          (SELECT m.value FROM window_metrics m WHERE m.model_id = d.model_id AND m.metric = 'f1' AND m.method = 'macro'
             ORDER BY m.window_start DESC LIMIT 1) AS f1_macro,
          (SELECT m.value FROM window_metrics m WHERE m.model_id = d.model_id AND m.metric = 'volume'
             ORDER BY m.window_start DESC LIMIT 1) AS volume,
          (SELECT count(*) FROM alerts a WHERE a.model_id = d.model_id AND a.state = 'firing') AS firing_alerts
        FROM models d ORDER BY d.name""", 0, 0, w=24, fmt="table"),
    panel(2, "Share of drifted features per model", "timeseries", """
        SELECT m.window_start AS "time", d.name AS metric, m.value
        FROM window_metrics m JOIN models d USING (model_id)
        WHERE m.metric = 'drifted_feature_ratio' AND $__timeFilter(m.window_start) ORDER BY 1, 2""",
          0, 8, unit="percentunit"),
    panel(3, "Realized F1 (macro) per model", "timeseries", """
        SELECT m.window_start AS "time", d.name AS metric, m.value
        FROM window_metrics m JOIN models d USING (model_id)
        WHERE m.metric = 'f1' AND m.method = 'macro' AND $__timeFilter(m.window_start) ORDER BY 1, 2""",
          12, 8, unit="percentunit"),
    panel(4, "Open alerts by severity", "bargauge", """
        SELECT a.severity AS metric, count(*) AS value FROM alerts a
        WHERE a.state IN ('pending', 'firing') GROUP BY a.severity
        UNION ALL SELECT 'total', count(*) FROM alerts a WHERE a.state IN ('pending', 'firing')
        ORDER BY 1""", 0, 16, fmt="table"),
    panel(5, "Events per window and model", "timeseries", """
        SELECT $__timeGroupAlias(m.window_start, '1h'), d.name AS metric, sum(m.value) AS value
        FROM window_metrics m JOIN models d USING (model_id)
        WHERE m.metric = 'volume' AND $__timeFilter(m.window_start) GROUP BY 1, 2 ORDER BY 1, 2""", 12, 16),
]

boards = {
    "driftwatch-model.json": dashboard(
        "driftwatch-model", "Driftwatch · model", model_panels, [model_var],
        "One model's windows: drift per feature, realized performance, latency, volume, alerts"),
    "driftwatch-fleet.json": dashboard(
        "driftwatch-fleet", "Driftwatch · fleet", fleet_panels, [],
        "Every monitored model at a glance: drift, F1, alerts, traffic"),
}

if __name__ == "__main__":
    import sys
    out = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    for name, board in boards.items():
        (out / name).write_text(json.dumps(board, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {out / name} ({len(board['panels'])} panels)")
