package org.beacon.extracts;

import static org.beacon.extracts.ExtractTable.Kind.TEXT;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.FillPatternType;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.IndexedColors;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.util.CellRangeAddress;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.beacon.runtime.BeaconException;

/**
 * The extract as an .xlsx workbook (Apache POI, streamed so large packs stay small in memory): an
 * About sheet with the Delta versions, a sheet per inspection area, then grades, scorecard, gaps,
 * crime and the data dictionary. Numbers are stored as numbers; percentages as fractions with a
 * percentage format, so a spreadsheet computes with them; header rows are frozen and filtered.
 */
final class WorkbookWriter {
  private static final int MAX_WIDTH_CHARS = 60;
  private static final int WIDTH_SAMPLE_ROWS = 500;

  private final SXSSFWorkbook book = new SXSSFWorkbook(200);
  private final CellStyle header;
  private final CellStyle title;
  private final Map<ExtractTable.Kind, CellStyle> styles = new EnumMap<>(ExtractTable.Kind.class);
  private final CellStyle percent;
  private final CellStyle mean;

  private WorkbookWriter() {
    Font bold = book.createFont();
    bold.setBold(true);
    header = book.createCellStyle();
    header.setFont(bold);
    header.setFillForegroundColor(IndexedColors.GREY_25_PERCENT.getIndex());
    header.setFillPattern(FillPatternType.SOLID_FOREGROUND);
    header.setWrapText(true);
    Font big = book.createFont();
    big.setBold(true);
    big.setFontHeightInPoints((short) 14);
    title = book.createCellStyle();
    title.setFont(big);
    styles.put(ExtractTable.Kind.INTEGER, format("#,##0"));
    styles.put(ExtractTable.Kind.NUMBER, format("0.000"));
    percent = format("0.0%");
    mean = format("0.00");
  }

  private CellStyle format(String pattern) {
    CellStyle s = book.createCellStyle();
    s.setDataFormat(book.createDataFormat().getFormat(pattern));
    return s;
  }

  static void write(Pack pack, Map<String, String> areaSheets, Path file) {
    WorkbookWriter w = new WorkbookWriter();
    w.about(pack);
    for (Map.Entry<String, String> area : areaSheets.entrySet()) {
      w.table(area.getKey(), pack.indicators().where("inspection_area", area.getValue()));
    }
    w.table("Grades", pack.grades());
    w.table("Judgements", pack.judgements());
    w.table("Scorecard", pack.scorecard());
    w.table("Gaps", pack.gaps());
    w.table("Crime", pack.crime());
    w.dictionary(pack.tables());
    try (OutputStream out = Files.newOutputStream(file)) {
      w.book.write(out);
    } catch (IOException e) {
      throw new BeaconException("Could not write " + file + ": " + e.getMessage(), e);
    } finally {
      w.book.dispose();
    }
  }

  private void about(Pack pack) {
    Sheet sheet = book.createSheet("About");
    Map<String, Object> lines = new LinkedHashMap<>();
    lines.put("Force", pack.forceName() + " (" + pack.force() + ")");
    lines.put("Scope", pack.ocu() == null ? "the force and all its OCUs, sectors and neighbourhoods" : "OCU " + pack.ocu()
        + " and its sectors and neighbourhoods");
    lines.put("Financial year", pack.year());
    lines.put("Grading rule table", pack.ruleVersion());
    lines.put("Publication threshold", "cells from fewer than " + pack.threshold()
        + " respondents are suppressed, with secondary suppression so none can be recovered by subtraction");
    int r = 0;
    cell(sheet.createRow(r++), 0, "Beacon inspection extract", title);
    for (Map.Entry<String, Object> e : lines.entrySet()) {
      Row row = sheet.createRow(r++);
      cell(row, 0, e.getKey(), header);
      row.createCell(1).setCellValue(String.valueOf(e.getValue()));
    }
    r++;
    Row head = sheet.createRow(r++);
    cell(head, 0, "Delta table", header);
    cell(head, 1, "Version", header);
    for (Map.Entry<String, Long> v : pack.versions().entrySet()) {
      Row row = sheet.createRow(r++);
      row.createCell(0).setCellValue(v.getKey());
      row.createCell(1).setCellValue(v.getValue());
    }
    sheet.setColumnWidth(0, 28 * 256);
    sheet.setColumnWidth(1, 100 * 256);
  }

  private void table(String name, ExtractTable table) {
    Sheet sheet = book.createSheet(name);
    List<ExtractTable.Field> fields = table.fields();
    Row head = sheet.createRow(0);
    int[] width = new int[fields.size()];
    for (int c = 0; c < fields.size(); c++) {
      cell(head, c, fields.get(c).name(), header);
      width[c] = fields.get(c).name().length();
    }
    int r = 1;
    for (Object[] values : table.rows()) {
      Row row = sheet.createRow(r);
      boolean isPercent = table.isPercent(values);
      for (int c = 0; c < values.length; c++) {
        Object v = values[c];
        if (v == null || (v instanceof Double d && (d.isNaN() || d.isInfinite()))) {
          continue;
        }
        ExtractTable.Kind kind = fields.get(c).kind();
        org.apache.poi.ss.usermodel.Cell cell = row.createCell(c);
        if (v instanceof Number n) {
          boolean asPercent = kind == ExtractTable.Kind.PERCENT || (kind == ExtractTable.Kind.MEASURE && isPercent);
          cell.setCellValue(asPercent ? n.doubleValue() / 100.0 : n.doubleValue());
          cell.setCellStyle(asPercent ? percent : kind == ExtractTable.Kind.MEASURE ? mean : styles.getOrDefault(kind, mean));
        } else if (v instanceof Boolean b) {
          cell.setCellValue(b);
        } else {
          cell.setCellValue(v.toString());
        }
        if (r <= WIDTH_SAMPLE_ROWS) {
          width[c] = Math.max(width[c], v instanceof Double ? 8 : CsvWriter.format(v).length());
        }
      }
      r++;
    }
    for (int c = 0; c < width.length; c++) {
      sheet.setColumnWidth(c, Math.min(width[c] + 2, MAX_WIDTH_CHARS) * 256);
    }
    sheet.createFreezePane(0, 1);
    sheet.setAutoFilter(new CellRangeAddress(0, Math.max(0, r - 1), 0, fields.size() - 1));
  }

  private void dictionary(List<ExtractTable> tables) {
    List<Object[]> rows = new ArrayList<>();
    for (ExtractTable t : tables) {
      for (ExtractTable.Field f : t.fields()) {
        rows.add(new Object[] {t.title(), f.name(), f.kind().name().toLowerCase(), f.description()});
      }
    }
    table("Data dictionary", new ExtractTable("dictionary", "Data dictionary", List.of(
        new ExtractTable.Field("sheet", TEXT, "The sheet (the indicator fields are those of indicators.csv and the area sheets)."),
        new ExtractTable.Field("field", TEXT, "The column."),
        new ExtractTable.Field("kind", TEXT, "text, integer, number, measure (percent or mean by the row's unit), percent or boolean."),
        new ExtractTable.Field("description", TEXT, "What the column holds.")), rows));
  }

  private static void cell(Row row, int column, String value, CellStyle style) {
    org.apache.poi.ss.usermodel.Cell c = row.createCell(column);
    c.setCellValue(value);
    c.setCellStyle(style);
  }
}
