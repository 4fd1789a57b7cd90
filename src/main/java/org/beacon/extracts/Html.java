package org.beacon.extracts;

import java.util.Locale;

/** The report's styles and the cell formatting every section shares: escaped text, numbers, grades, statements. */
final class Html {
  static final String STYLE = String.join("\n",
      "body{font-family:'DejaVu Sans',Arial,Helvetica,sans-serif;color:#1f1f1f;margin:0;background:#f4f5f7;line-height:1.45}",
      "header{background:#1d3557;color:#fff;padding:24px 40px}header h1{margin:0 0 4px;font-size:26px}",
      "header p{margin:2px 0;opacity:.9}main{max-width:1180px;margin:0 auto;padding:8px 40px 40px}",
      "nav{background:#fff;border:1px solid #dde;padding:10px 16px;margin:16px 0;column-count:3;font-size:14px}",
      "nav a{color:#1d3557;text-decoration:none;display:block}",
      "section{background:#fff;border:1px solid #dde;border-radius:4px;padding:8px 24px 20px;margin:18px 0}",
      "h2{color:#1d3557;border-bottom:2px solid #e63946;padding-bottom:4px}h3{color:#1d3557;margin-top:26px}",
      "table{border-collapse:collapse;font-size:13px;margin:8px 0;width:100%}",
      "th{background:#e9ecf2;text-align:left;padding:5px 7px;border-bottom:2px solid #c9cfdb;vertical-align:bottom}",
      "td{padding:4px 7px;border-bottom:1px solid #eceef2;vertical-align:top}td.num{text-align:right;white-space:nowrap}",
      "tr:nth-child(even) td{background:#fafbfc}.grade{font-weight:bold;padding:2px 8px;border-radius:3px;white-space:nowrap}",
      ".exceeding{background:#d9f0d3;color:#1b5e20}.meeting{background:#fff3c4;color:#6d4c00}.failing{background:#fbd5d5;color:#8b1a1a}",
      ".better{color:#1a7a3c;font-weight:bold}.worse{color:#b42318;font-weight:bold}.muted{color:#777}",
      "tr td.achieved{background:#b7e1b0}tr td.on-track{background:#e3f4df}tr td.at-risk{background:#ffe8b3}",
      "tr td.missed{background:#f7c1c1}.suppressed{color:#999;font-style:italic}",
      "img{max-width:100%;height:auto;display:block;margin:10px 0 4px;border:1px solid #eee}",
      "figure{margin:10px 0 22px}figcaption{font-size:13px;color:#555}p.note{font-size:13px;color:#555}",
      "code{background:#f0f0f0;padding:1px 4px;font-size:12px}");

  private Html() {}

  static String gradeCell(Object grade) {
    return grade == null ? "<td></td>" : "<td><span class=\"grade " + esc(str(grade)) + "\">" + esc(str(grade)) + "</span></td>";
  }

  static String str(Object v) {
    return v == null ? "" : v.toString();
  }

  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  static String td(Object v) {
    return "<td>" + esc(str(v)) + "</td>";
  }

  static String num(Object v) {
    return "<td class=\"num\">" + esc(v instanceof Long || v instanceof Integer ? String.format(Locale.UK, "%,d", v) : str(v)) + "</td>";
  }

  /** A comparison's statement, coloured when it says significantly better (or improved) or worse (or deteriorated). */
  static String statement(Object v) {
    String s = str(v);
    String css = s.contains("significantly better") || s.contains("significantly improved") ? "better"
        : s.contains("significantly worse") || s.contains("significantly deteriorated") ? "worse" : "";
    return "<td class=\"" + css + "\">" + esc(s) + "</td>";
  }

  static String measure(Object v, boolean percent) {
    return v == null ? "" : fixed(v, 1) + (percent ? "%" : "");
  }

  static String interval(Object lo, Object hi, boolean percent) {
    return lo == null || hi == null ? "" : fixed(lo, 1) + " – " + fixed(hi, 1) + (percent ? "%" : "");
  }

  static String signed(Object v) {
    return v == null ? "" : String.format(Locale.ROOT, "%+.1f", ((Number) v).doubleValue());
  }

  static String fixed(Object v, int decimals) {
    return v == null ? "" : String.format(Locale.ROOT, "%." + decimals + "f", ((Number) v).doubleValue());
  }
}
