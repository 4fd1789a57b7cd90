package org.beacon.workforce;

import static org.apache.spark.sql.functions.*;

import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.beacon.runtime.BeaconException;
import org.beacon.runtime.LandingFiles;
import org.beacon.runtime.Checksums;
import org.beacon.runtime.CsvInput;
import org.beacon.runtime.FinancialYear;
import org.beacon.runtime.Lineage;
import org.beacon.runtime.Settings;
import org.beacon.runtime.Tables;

/**
 * landing/workforce/workforce.csv -> silver.workforce__ocu_years: officers and neighbourhood-team
 * staffing per OCU and financial year, typed and checked, with the neighbourhood share in percent. The
 * file is small (one row per OCU and year), so it is read and checked row by row, and a bad value stops
 * the load with the file, row and field named.
 */
public final class WorkforceIngestJob {
  static final String FILE = "workforce/workforce.csv";
  static final List<String> COLUMNS = List.of("financial_year", "force_code", "ocu_code", "officers", "np_officers",
      "np_sergeants", "np_inspectors", "np_pcsos", "np_specials");

  private WorkforceIngestJob() {}

  public static void run(SparkSession spark, Settings settings) {
    Path file = settings.landing().resolve(FILE);
    if (Files.isRegularFile(file)) {
      Lineage lineage = Lineage.of(settings).file(FILE, Checksums.sha256(file));
      Tables.replace(spark, settings, WorkforceTables.SILVER_WORKFORCE, lineage,
          () -> spark.createDataFrame(read(file), schema()).orderBy("force_code", "ocu_code", "financial_year"));
    }
    Path fund = settings.landing().resolve(FUND_FILE);
    if (Files.isRegularFile(fund)) {
      Tables.replace(spark, settings, WorkforceTables.SILVER_CONTINGENCY_FUND,
          Lineage.of(settings).file(FUND_FILE, Checksums.sha256(fund)),
          () -> spark.createDataFrame(readFund(fund), FUND_SCHEMA).orderBy("force_code", "financial_year", "ocu_code", "category"));
    }
  }

  static final String FUND_FILE = "workforce/contingency_fund.csv";
  static final List<String> FUND_COLUMNS = List.of("financial_year", "force_code", "ocu_code", "category", "amount_gbp");
  static final StructType FUND_SCHEMA = StructType.fromDDL("financial_year STRING, force_code STRING, ocu_code STRING, "
      + "category STRING, amount_gbp DOUBLE");

  /** Fund allocations, checked row by row: a bad year or amount stops the load naming file, row and field. */
  static List<Row> readFund(Path file) {
    LandingFiles.checkHeader(file, FUND_COLUMNS);
    CsvInput csv = CsvInput.read(file);
    List<Row> out = new ArrayList<>();
    for (int i = 0; i < csv.rows().size(); i++) {
      String year = csv.cell(i, 0);
      try {
        FinancialYear.startYear(year == null ? "" : year.trim());
      } catch (RuntimeException e) {
        throw new BeaconException(csv.where(i, 0) + ": '" + year + "' is not a financial year such as 2007/08.");
      }
      double amount = csv.number(i, 4);
      if (amount < 0) {
        throw new BeaconException(csv.where(i, 4) + ": an amount cannot be negative.");
      }
      out.add(RowFactory.create(year.trim(), csv.cell(i, 1).trim(), csv.cell(i, 2).trim(), csv.cell(i, 3).trim(), amount));
    }
    return out;
  }

  static List<Row> read(Path file) {
    LandingFiles.checkHeader(file, COLUMNS);
    CsvParserSettings parser = new CsvParserSettings();
    parser.setHeaderExtractionEnabled(true);
    List<String[]> rows;
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      rows = new CsvParser(parser).parseAll(reader);
    } catch (IOException e) {
      throw new BeaconException("Cannot read " + file + ": " + e.getMessage() + ".", e);
    }
    List<Row> out = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      String[] r = rows.get(i);
      int line = i + 2;
      if (r.length != COLUMNS.size()) {
        throw new BeaconException(file + " row " + line + ": expected " + COLUMNS.size() + " fields, found " + r.length + ".");
      }
      FinancialYear.startYear(r[0]);
      long[] counts = new long[6];
      for (int c = 0; c < 6; c++) {
        try {
          counts[c] = Long.parseLong(r[3 + c].trim());
        } catch (NumberFormatException | NullPointerException e) {
          throw new BeaconException(file + " row " + line + " field " + COLUMNS.get(3 + c) + ": '" + r[3 + c]
              + "' is not a whole number.");
        }
        if (counts[c] < 0) {
          throw new BeaconException(file + " row " + line + " field " + COLUMNS.get(3 + c) + ": a count cannot be negative.");
        }
      }
      if (counts[1] > counts[0]) {
        throw new BeaconException(file + " row " + line + " field np_officers: " + counts[1]
            + " neighbourhood officers exceed the OCU's " + counts[0] + " officers.");
      }
      out.add(RowFactory.create(r[0].trim(), r[1].trim(), r[2].trim(), counts[0], counts[1], counts[2], counts[3], counts[4],
          counts[5], counts[0] == 0 ? null : 100.0 * counts[1] / counts[0]));
    }
    return out;
  }

  static StructType schema() {
    StructType s = new StructType().add("financial_year", DataTypes.StringType).add("force_code", DataTypes.StringType)
        .add("ocu_code", DataTypes.StringType);
    for (String c : COLUMNS.subList(3, COLUMNS.size())) {
      s = s.add(c, DataTypes.LongType);
    }
    return s.add("np_share_pct", DataTypes.DoubleType);
  }
}
