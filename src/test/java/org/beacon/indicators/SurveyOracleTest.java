package org.beacon.indicators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.beacon.runtime.CsvInput;
import org.beacon.stats.ClopperPearson;
import org.beacon.stats.TaylorVariance;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.beacon.SharedSpark;
import org.beacon.runtime.Settings;
import org.beacon.survey.SurveySource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Beacon's estimation engine against an oracle nobody here wrote: R's survey package (Debian's r-cran-survey),
 * run as a subprocess on 240 random designs: stratified or not, one-stage clustered or not, no fpc, fpc as
 * population counts or as sampling fractions (census strata included), unequal weights, missing answers,
 * domains (some in a single PSU), strata with a single PSU (lonely: "adjust" in both), proportions and means.
 * Every group's estimate and standard error from `beacon estimate`'s engine, and every force and subgroup cell of
 * the Spark engine behind gold.survey_estimates, must agree with svymean / svyby to 1e-9 relative. For a
 * proportion, Korn and Graubard's interval (svyciprop, method "beta") of the whole sample and of every domain must
 * agree to 1e-8 with Clopper–Pearson on Beacon's design-effective n under R's degrees-of-freedom conventions
 * (named where they differ from Beacon's), wherever Beacon does not differ on purpose: Beacon truncates n_eff at
 * n (a design effect below 1 counts as 1), which only widens its interval; that is checked instead.
 *
 * <p>Skipped without R unless BEACON_REQUIRE_R is set (CI sets it and installs R).
 */
class SurveyOracleTest {
  private static final int DESIGNS = 240;
  /**
   * Interval limits, absolutely: commons-math inverts the beta distribution to 1e-9 (its solver's default), R's
   * qbeta to machine precision, so limits near 0 (1e-8) differ by a few parts in 1e10 and relatively by percents.
   */
  private static final double INTERVAL = 1e-8;

  private record Design(int id, boolean clustered, boolean stratified, int fpcMode, boolean proportion, List<String[]> rows,
      int psus, int strata, boolean hasMissing) {}

  private static Path dir;
  private static List<Design> designs;

  /** Writes the designs and runs R on them twice: lonely PSUs adjusted (as `beacon estimate`) and as certainty units. */
  @BeforeAll
  static void askR() throws IOException, InterruptedException {
    boolean haveR = new java.io.File("/usr/bin/Rscript").canExecute();
    if (System.getenv("BEACON_REQUIRE_R") == null) {
      assumeTrue(haveR, "R (r-base-core, r-cran-survey) is not installed");
    }
    dir = Files.createTempDirectory("beacon-oracle");
    designs = new ArrayList<>();
    StringBuilder manifest = new StringBuilder("id,file,clustered,stratified,fpc,proportion\n");
    for (int id = 1; id <= DESIGNS; id++) {
      Design d = generate(id);
      designs.add(d);
      StringBuilder csv = new StringBuilder("stratum,psu,w,fpc,g,y\n");
      d.rows().forEach(r -> csv.append(String.join(",", r)).append('\n'));
      Files.writeString(dir.resolve("design_" + id + ".csv"), csv);
      manifest.append(id).append(",design_").append(id).append(".csv,").append(d.clustered() ? "TRUE" : "FALSE").append(',')
          .append(d.stratified() ? "TRUE" : "FALSE").append(',').append(d.fpcMode() > 0 ? "TRUE" : "FALSE").append(',')
          .append(d.proportion() ? "TRUE" : "FALSE").append('\n');
    }
    Files.writeString(dir.resolve("designs.csv"), manifest);
    for (String lonely : List.of("adjust", "certainty")) {
      runR("survey_oracle.R", dir, lonely);
    }
  }

  /** Runs the test resource oracle/{script} with R on the folder (its first argument) and the other arguments. */
  private static void runR(String script, Path folder, String... args) throws IOException, InterruptedException {
    Path copy = folder.resolve(script);
    try (InputStream in = SurveyOracleTest.class.getResourceAsStream("/oracle/" + script)) {
      Files.write(copy, in.readAllBytes());
    }
    List<String> command = new ArrayList<>(List.of("Rscript", copy.toString(), folder.toString()));
    command.addAll(List.of(args));
    Process r = new ProcessBuilder(command).redirectErrorStream(true).start();
    String log = new String(r.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(r.waitFor(5, TimeUnit.MINUTES), "R did not finish " + script);
    assertEquals(0, r.exitValue(), "R's survey package failed in " + script + ": " + log);
  }

  /** R's rows by "design|group". */
  private static Map<String, String[]> oracle(String lonely) {
    Map<String, String[]> oracle = new HashMap<>();
    CsvInput results = CsvInput.read(dir.resolve("r_results_" + lonely + ".csv"));
    for (String[] row : results.rows()) {
      oracle.put(row[0] + "|" + row[1], row);
    }
    return oracle;
  }

  @Test
  void estimatesStandardErrorsAndIntervalsAgreeWithRsSurveyPackage() {
    Map<String, String[]> oracle = oracle("adjust");
    List<String> failures = new ArrayList<>();
    int compared = 0;
    int intervals = 0;
    int truncated = 0;
    for (Design d : designs) {
      List<AdHocEstimate.GroupEstimate> beacon = AdHocEstimate.run(new AdHocEstimate.Options(dir.resolve("design_" + d.id() + ".csv"),
          "y", "w", d.stratified() ? "stratum" : null, d.clustered() ? "psu" : null, d.fpcMode() > 0 ? "fpc" : null, "g", 0.95));
      for (AdHocEstimate.GroupEstimate b : beacon) {
        String[] o = oracle.get(d.id() + "|" + b.group());
        if (o == null) {
          failures.add("design " + d.id() + " group " + b.group() + ": R has no row");
          continue;
        }
        compared++;
        check(failures, d, b.group(), "estimate", b.estimate(), Double.parseDouble(o[2]), 1e-9, 1e-13);
        check(failures, d, b.group(), "se", b.se(), Double.parseDouble(o[3]), 1e-9, 1e-13);
        if (d.proportion() && !o[4].equals("NA") && !o[4].isEmpty()) {
          // R's conventions for the Korn-Graubard factor: t on nrow() - 1 of the (sub)design, whose rows outside the
          // domain stay with zero weight, over t on degf(), which counts only PSUs with respondents in it. Beacon's
          // published interval uses the domain's respondents and every PSU of the design instead (the same numbers
          // for a whole sample with no missing answer); here its n_eff goes through R's conventions.
          int df = (int) Double.parseDouble(o[4]);
          double rows = Double.parseDouble(o[9]);
          for (double[] level : new double[][] {{0.95, 5, 6}, {0.998, 7, 8}}) {
            double nStar = TaylorVariance.kornGraubardN(b.nEff(), (long) rows, df, level[0]);
            double lower = ClopperPearson.lower(b.estimate() * nStar, nStar, level[0]);
            double upper = ClopperPearson.upper(b.estimate() * nStar, nStar, level[0]);
            double rLower = Double.parseDouble(o[(int) level[1]]);
            double rUpper = Double.parseDouble(o[(int) level[2]]);
            if (b.deff() >= 1) {
              check(failures, d, b.group(), "beta lower " + level[0], lower, rLower, 0, INTERVAL);
              check(failures, d, b.group(), "beta upper " + level[0], upper, rUpper, 0, INTERVAL);
              intervals++;
            } else {
              // A design effect below 1: Beacon's n_eff is truncated at n, so its interval holds R's.
              if (!(lower <= rLower + INTERVAL && upper >= rUpper - INTERVAL)) {
                failures.add("design " + d.id() + " group " + b.group() + ": with deff " + b.deff() + " Beacon's interval ("
                    + lower + ", " + upper + ") does not hold R's (" + rLower + ", " + rUpper + ")");
              }
              truncated++;
            }
          }
          if (b.group().equals("all") && !d.hasMissing()) {
            assertEquals(rows, b.n(), "a whole sample with no missing answer: R's nrow() is Beacon's n");
            assertEquals(df, d.psus() - d.strata(), "a whole sample with no missing answer: R's degf() is Beacon's df");
          }
        }
      }
    }
    System.err.printf("R oracle: %d designs, %d groups' estimates and SEs, %d Korn-Graubard limits compared, %d held (deff < 1)%n",
        DESIGNS, compared, 2 * intervals, 2 * truncated);
    assertEquals(List.of(), failures, "disagreements with R's survey package");
    assertTrue(compared > 600, "groups compared: " + compared);
    assertTrue(intervals > 200 && truncated > 0, "intervals compared: " + intervals + ", truncated: " + truncated);
  }

  /**
   * The Spark engine that fills gold.survey_estimates, on every design: the strata are OCUs, the groups a subgroup
   * (sex), a missing answer "don't know"; a stratum with a single PSU adds nothing there (R's "certainty"). A
   * proportion design is an indicator of positive answers, a mean design a one-question scale whose answer codes are
   * the scores (as asb_perception_score sums its strands). The force's and every subgroup's estimate and SE agree
   * with R's to 1e-9 relative (1e-9 absolute where R's SE is zero).
   */
  @Test
  void theSparkEstimatesAgreeWithRsSurveyPackageToo() {
    SparkSession spark = SharedSpark.session();
    Settings settings = Settings.load(Map.of());
    List<Indicator> spi2a = Indicator.all(settings).stream().filter(i -> i.id().equals("spi_2a")).toList();
    Map<String, Integer> scores = new HashMap<>();
    designs.stream().filter(d -> !d.proportion()).flatMap(d -> d.rows().stream()).map(r -> r[5]).filter(y -> !y.equals("NA"))
        .forEach(y -> scores.put(y, Integer.parseInt(y)));
    List<Indicator> score = List.of(new Indicator("oracle_mean_score", "Mean score", "force_survey", null, List.of(), List.of(),
        Indicator.Polarity.HIGHER_IS_BETTER, Indicator.Estimand.MEAN, "",
        new Indicator.DerivedScale(List.of("q_police_job"), scores, 0)));
    Map<String, String[]> oracle = oracle("certainty");
    StructType schema = new StructType().add("design", DataTypes.IntegerType).add("force_code", DataTypes.StringType)
        .add("ocu_code", DataTypes.StringType).add("financial_year", DataTypes.StringType).add("quarter", DataTypes.IntegerType)
        .add("wave", DataTypes.StringType).add("psu", DataTypes.StringType).add("design_weight", DataTypes.DoubleType)
        .add("q_police_job", DataTypes.StringType).add("sex", DataTypes.StringType).add("fpc", DataTypes.DoubleType);
    List<String> failures = new ArrayList<>();
    int compared = 0;
    int means = 0;
    for (int fpcMode = 0; fpcMode < 3; fpcMode++) {
      for (boolean[] kind : new boolean[][] {{true, true}, {false, true}, {true, false}, {false, false}}) {
        boolean clustered = kind[0];
        boolean proportion = kind[1];
        List<Indicator> indicators = proportion ? spi2a : score;
        List<Row> rows = new ArrayList<>();
        List<Design> batch = new ArrayList<>();
        for (Design d : designs) {
          if (d.proportion() == proportion && d.fpcMode() == fpcMode && d.clustered() == clustered) {
            batch.add(d);
            for (String[] r : d.rows()) {
              String answer = r[5].equals("NA") ? "dont_know" : !proportion ? r[5] : r[5].equals("1") ? "excellent" : "poor";
              rows.add(RowFactory.create(d.id(), "force-" + d.id(), "force-" + d.id() + "-" + r[0], "2007/08", 1, "2007/08 Q1",
                  r[1], Double.parseDouble(r[2]), answer, r[4], Double.parseDouble(r[3])));
            }
          }
        }
        if (batch.isEmpty()) {
          continue;
        }
        SurveySource source = SurveyEstimatesTest.source(clustered ? "psu" : "", fpcMode > 0 ? "fpc" : "", 1,
            Map.of("force", SurveySource.PERIOD_TYPES));
        Dataset<Row> units = SurveyEstimates.withDesignAndFlags(spark.createDataFrame(rows, schema), source, indicators);
        Map<String, Row> cells = new HashMap<>();
        SurveyEstimates.estimate(units, source, indicators, 2007 * 4, 2007 * 4, "wilson")
            .filter("level = 'force' AND period_type = 'financial_year'").collectAsList()
            .forEach(c -> cells.put(c.<String>getAs("area_code") + "|" + c.<String>getAs("subgroup"), c));
        for (Design d : batch) {
          for (String group : new java.util.TreeSet<>(d.rows().stream().map(r -> r[4]).toList())) {
            compare(failures, d, group, cells.get("force-" + d.id() + "|" + group), oracle.get(d.id() + "|" + group));
            compared++;
          }
          compare(failures, d, "all", cells.get("force-" + d.id() + "|all"), oracle.get(d.id() + "|all"));
          compared++;
          means += proportion ? 0 : 1;
        }
      }
    }
    System.err.printf("R oracle, Spark estimates: %d cells compared%n", compared);
    assertEquals(List.of(), failures, "disagreements of the Spark estimates with R's survey package");
    assertTrue(compared > 600 && means > 80, "cells compared: " + compared + ", mean designs: " + means);
  }

  /**
   * Beacon's raking (untrimmed) against R's rake() on 40 random problems: two or three margins of two to five
   * categories, 30 to 300 units with unequal starting weights, consistent population totals. Raking's fixed
   * point is unique, so both must reach the same weights: to 1e-9 relative.
   */
  @Test
  void rakingAgreesWithRsRake() throws IOException, InterruptedException {
    int problems = 40;
    Path raking = Files.createTempDirectory("beacon-raking-oracle");
    List<double[]> starts = new ArrayList<>();
    List<List<org.beacon.stats.Raking.Margin>> all = new ArrayList<>();
    for (int id = 1; id <= problems; id++) {
      Random rnd = new Random(5000L + id);
      int n = 30 + rnd.nextInt(271);
      int k = 2 + rnd.nextInt(2);
      int[] sizes = new int[k];
      int[][] category = new int[k][n];
      double[] w = new double[n];
      StringBuilder csv = new StringBuilder("w");
      for (int m = 0; m < k; m++) {
        sizes[m] = 2 + rnd.nextInt(4);
        csv.append(",m").append(m + 1);
      }
      csv.append('\n');
      for (int i = 0; i < n; i++) {
        w[i] = 1 + 9 * rnd.nextDouble();
        csv.append(w[i]);
        for (int m = 0; m < k; m++) {
          // Every category has respondents: the first units go round them.
          category[m][i] = i < sizes[m] ? i : rnd.nextInt(sizes[m]);
          csv.append(',').append(category[m][i]);
        }
        csv.append('\n');
      }
      // Population totals: each margin's shares drawn at random, all summing to the same population.
      double population = 10_000 + rnd.nextInt(90_000);
      List<org.beacon.stats.Raking.Margin> margins = new ArrayList<>();
      StringBuilder targets = new StringBuilder("margin,category,total\n");
      for (int m = 0; m < k; m++) {
        double[] share = new double[sizes[m]];
        double sum = 0;
        for (int c = 0; c < sizes[m]; c++) {
          share[c] = 0.2 + rnd.nextDouble();
          sum += share[c];
        }
        double[] target = new double[sizes[m]];
        for (int c = 0; c < sizes[m]; c++) {
          target[c] = population * share[c] / sum;
          targets.append("m").append(m + 1).append(',').append(c).append(',').append(target[c]).append('\n');
        }
        margins.add(new org.beacon.stats.Raking.Margin("m" + (m + 1), category[m], target));
      }
      Files.writeString(raking.resolve("problem_" + id + ".csv"), csv);
      Files.writeString(raking.resolve("targets_" + id + ".csv"), targets);
      starts.add(w);
      all.add(margins);
    }
    runR("raking_oracle.R", raking, String.valueOf(problems));
    List<String> failures = new ArrayList<>();
    for (int id = 1; id <= problems; id++) {
      org.beacon.stats.Raking.Result beacon = org.beacon.stats.Raking.rake(starts.get(id - 1), all.get(id - 1), 0,
          Double.POSITIVE_INFINITY, 1e-13, 1000);
      assertTrue(beacon.converged(), "problem " + id + " did not converge");
      List<String[]> raked = CsvInput.read(raking.resolve("raked_" + id + ".csv")).rows();
      for (int i = 0; i < raked.size(); i++) {
        double expected = Double.parseDouble(raked.get(i)[0]);
        if (!(Math.abs(beacon.weights()[i] - expected) <= 1e-9 * expected)) {
          failures.add("problem " + id + " unit " + i + ": " + beacon.weights()[i] + " against R's " + expected);
        }
      }
    }
    assertEquals(List.of(), failures.stream().limit(10).toList(), "raked weights that differ from R's rake()");
  }

  private static void compare(List<String> failures, Design d, String group, Row cell, String[] r) {
    if (cell == null || r == null) {
      failures.add("design " + d.id() + " group " + group + ": " + (cell == null ? "Beacon" : "R") + " has no cell");
      return;
    }
    check(failures, d, group, "Spark estimate", cell.<Double>getAs("estimate"), Double.parseDouble(r[2]), 1e-9, 1e-13);
    // Where the true variance is zero the engine's terms cancel to rounding, which it reads as zero (SurveyEstimates).
    check(failures, d, group, "Spark se", cell.<Double>getAs("se"), Double.parseDouble(r[3]), 1e-9, 1e-9);
  }

  private static void check(List<String> failures, Design d, String group, String what, double beacon, double r, double relative,
      double absolute) {
    if (!(Math.abs(beacon - r) <= relative * Math.abs(r) + absolute)) {
      failures.add("design " + d.id() + " (clustered " + d.clustered() + ", stratified " + d.stratified() + ", fpc mode "
          + d.fpcMode() + ") group " + group + ": " + what + " " + beacon + " against R's " + r);
    }
  }

  /** A random design: strata, PSUs (one stratum in five or so with a single PSU), units, weights, fpc, groups, answers. */
  private static Design generate(int id) {
    Random rnd = new Random(1000L + id);
    boolean stratified = rnd.nextDouble() < 0.7;
    boolean clustered = rnd.nextDouble() < 0.7;
    int fpcMode = rnd.nextInt(3);
    boolean proportion = rnd.nextBoolean();
    boolean missing = rnd.nextBoolean();
    int strata = stratified ? 1 + rnd.nextInt(4) : 1;
    List<String[]> rows = new ArrayList<>();
    int psus = 0;
    Map<String, Set<Integer>> groupValid = new HashMap<>();
    for (int h = 1; h <= strata; h++) {
      int units = clustered ? 0 : 2 + rnd.nextInt(12);
      int clusters = clustered ? (rnd.nextDouble() < 0.2 ? 1 : 2 + rnd.nextInt(4)) : units;
      if (strata == 1 && clusters < 2) {
        clusters = 2;
      }
      psus += clusters;
      double fpc = switch (fpcMode) {
        case 1 -> clusters + (rnd.nextDouble() < 0.2 ? 0 : 1 + rnd.nextInt(30));
        // A census stratum (1) now and then, never in the first: R refuses a design whose every fpc is 1.
        case 2 -> h > 1 && rnd.nextDouble() < 0.25 ? 1 : 0.05 + 0.9 * rnd.nextDouble();
        default -> 0;
      };
      for (int j = 1; j <= clusters; j++) {
        int size = clustered ? 1 + rnd.nextInt(6) : 1;
        double effect = rnd.nextGaussian();
        for (int u = 0; u < size; u++) {
          String g = List.of("a", "a", "b", "b", "c").get(rnd.nextInt(5));
          double w = 0.5 + 4.5 * rnd.nextDouble();
          String y;
          if (missing && rnd.nextDouble() < 0.08) {
            y = "NA";
          } else {
            y = proportion ? (rnd.nextDouble() < 1 / (1 + Math.exp(-0.8 * effect)) ? "1" : "0")
                // Whole scores, so that the Spark engine reads them as a scale's scores (an answer code each).
                : Long.toString(Math.round(50 + 5 * effect + 10 * rnd.nextGaussian()));
            groupValid.computeIfAbsent(g, k -> new LinkedHashSet<>()).add(rows.size());
          }
          rows.add(new String[] {"s" + h, "p" + j, Double.toString(w), fpcMode == 0 ? "0" : Double.toString(fpc), g, y});
        }
      }
    }
    // Every group present has an answer, and a proportion's answers are not all alike (R and Beacon need a variance).
    for (String[] row : rows) {
      if (!groupValid.containsKey(row[4])) {
        row[5] = proportion ? "1" : "50";
        groupValid.computeIfAbsent(row[4], k -> new LinkedHashSet<>()).add(0);
      }
    }
    if (proportion) {
      rows.stream().filter(row -> !row[5].equals("NA")).findFirst().ifPresent(row -> row[5] = "1");
      rows.stream().filter(row -> !row[5].equals("NA")).reduce((first, second) -> second).ifPresent(row -> row[5] = "0");
    }
    boolean hasMissing = rows.stream().anyMatch(row -> row[5].equals("NA"));
    return new Design(id, clustered, stratified, fpcMode, proportion, rows, psus, strata, hasMissing);
  }
}
