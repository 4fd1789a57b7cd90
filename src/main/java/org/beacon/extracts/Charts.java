package org.beacon.extracts;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.YearMonth;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.time.Month;
import org.jfree.data.time.TimeSeries;
import org.jfree.data.time.TimeSeriesCollection;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The report's charts, drawn with JFreeChart off screen and returned as PNG data URIs so the page
 * needs nothing outside itself. Colours follow the usual reading of significance: green for
 * significantly better, red for significantly worse, grey otherwise.
 */
final class Charts {
  static final Color BETTER = new Color(0x1a9850);
  static final Color WORSE = new Color(0xd73027);
  static final Color SAME = new Color(0x6b6b6b);
  static final Color LINE = new Color(0x2c7bb6);
  private static final Font TITLE = new Font("DejaVu Sans", Font.BOLD, 14);
  private static final Font LABEL = new Font("DejaVu Sans", Font.PLAIN, 11);
  private static final int WIDTH = 1060;
  private static final Shape DOT = new Ellipse2D.Double(-4, -4, 8, 8);
  private static final Shape SQUARE = new Rectangle2D.Double(-5, -5, 10, 10);

  static {
    System.setProperty("java.awt.headless", "true");
  }

  /** A point estimate with its interval and how it compares with the reference. */
  record Interval(String label, double value, double lower, double upper, String position) {}

  /** One point of a funnel plot. */
  record FunnelPoint(String label, double denominator, double value, String significance) {}

  /** One point of a control chart; limits may be NaN where the chart has none. */
  record SpcPoint(String period, double value, double centre, double lower, double upper, boolean signal) {}

  private Charts() {}

  /**
   * Horizontal interval chart: one row per area, dot and 95% interval, a line at the reference value;
   * legend names the better, same and worse positions.
   */
  static String intervals(String title, String axisLabel, List<Interval> points, double reference, String referenceLabel,
      String[] legend) {
    String[] labels = new String[points.size()];
    XYIntervalSeries better = new XYIntervalSeries(legend[0]);
    XYIntervalSeries same = new XYIntervalSeries(legend[1]);
    XYIntervalSeries worse = new XYIntervalSeries(legend[2]);
    for (int i = 0; i < points.size(); i++) {
      Interval p = points.get(i);
      int y = points.size() - 1 - i;
      labels[y] = p.label();
      XYIntervalSeries s = "better".equals(p.position()) ? better : "worse".equals(p.position()) ? worse : same;
      s.add(p.value(), p.lower(), p.upper(), y, y, y);
    }
    XYIntervalSeriesCollection data = new XYIntervalSeriesCollection();
    data.addSeries(better);
    data.addSeries(same);
    data.addSeries(worse);
    XYErrorRenderer renderer = new XYErrorRenderer();
    renderer.setDrawYError(false);
    renderer.setErrorStroke(new BasicStroke(2f));
    renderer.setCapLength(6);
    Color[] colours = {BETTER, SAME, WORSE};
    for (int s = 0; s < 3; s++) {
      renderer.setSeriesPaint(s, colours[s]);
      renderer.setSeriesShape(s, DOT);
    }
    SymbolAxis areas = new SymbolAxis(null, labels);
    areas.setTickLabelFont(LABEL);
    areas.setGridBandsVisible(false);
    NumberAxis value = axis(axisLabel);
    value.setAutoRangeIncludesZero(false);
    XYPlot plot = new XYPlot(data, value, areas, renderer);
    plot.setOrientation(PlotOrientation.VERTICAL);
    plot.addDomainMarker(marker(reference, referenceLabel + " " + String.format("%.1f", reference)));
    return png(chart(title, plot), WIDTH, 110 + 22 * points.size());
  }

  /** Funnel plot: areas by denominator, with 95% and 99.8% limits around the target. */
  static String funnel(String title, String axisLabel, List<FunnelPoint> points, double target, double[][] limits) {
    XYSeriesCollection data = new XYSeriesCollection();
    String[] names = {"95% limits", "95% limits (upper)", "99.8% limits", "99.8% limits (upper)"};
    for (int k = 0; k < 4; k++) {
      XYSeries s = new XYSeries(names[k], false);
      for (double[] l : limits) {
        s.add(l[0], l[k + 1]);
      }
      data.addSeries(s);
    }
    XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, false);
    for (int k = 0; k < 4; k++) {
      lines.setSeriesPaint(k, k < 2 ? new Color(0x7f7f7f) : new Color(0x3f3f3f));
      lines.setSeriesStroke(k, k < 2 ? new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
          new float[] {6f, 4f}, 0f) : new BasicStroke(1.4f));
      lines.setSeriesVisibleInLegend(k, k % 2 == 0);
    }
    XYSeriesCollection dots = new XYSeriesCollection();
    XYSeries high = new XYSeries("above the 95% limit", false);
    XYSeries within = new XYSeries("within the limits", false);
    XYSeries low = new XYSeries("below the 95% limit", false);
    for (FunnelPoint p : points) {
      (p.significance().startsWith("high") ? high : p.significance().startsWith("low") ? low : within)
          .add(p.denominator(), p.value());
    }
    dots.addSeries(high);
    dots.addSeries(within);
    dots.addSeries(low);
    XYLineAndShapeRenderer shapes = new XYLineAndShapeRenderer(false, true);
    Color[] colours = {LINE, SAME, new Color(0xe66101)};
    for (int s = 0; s < 3; s++) {
      shapes.setSeriesPaint(s, colours[s]);
      shapes.setSeriesShape(s, DOT);
    }
    NumberAxis x = axis("sample size (design-effective n)");
    x.setAutoRangeIncludesZero(false);
    NumberAxis y = axis(axisLabel);
    y.setAutoRangeIncludesZero(false);
    XYPlot plot = new XYPlot(dots, x, y, shapes);
    plot.setDataset(1, data);
    plot.setRenderer(1, lines);
    plot.addRangeMarker(marker(target, "target " + String.format("%.1f", target)));
    return png(chart(title, plot), WIDTH, 420);
  }

  /** Control chart: the series, its centre line and limits, and the points that signal marked. */
  static String controlChart(String title, String axisLabel, List<SpcPoint> points) {
    String[] periods = points.stream().map(SpcPoint::period).toArray(String[]::new);
    XYSeries value = new XYSeries("value", false);
    XYSeries centre = new XYSeries("centre line", false);
    XYSeries lower = new XYSeries("control limits", false);
    XYSeries upper = new XYSeries("upper limit", false);
    XYSeries signal = new XYSeries("signal", false);
    for (int i = 0; i < points.size(); i++) {
      SpcPoint p = points.get(i);
      value.add(i, p.value());
      centre.add(i, p.centre());
      lower.add(i, Double.isNaN(p.lower()) ? null : p.lower());
      upper.add(i, Double.isNaN(p.upper()) ? null : p.upper());
      if (p.signal()) {
        signal.add(i, p.value());
      }
    }
    XYSeriesCollection data = new XYSeriesCollection();
    for (XYSeries s : List.of(signal, value, centre, lower, upper)) {
      data.addSeries(s);
    }
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer();
    r.setSeriesLinesVisible(0, false);
    r.setSeriesShape(0, SQUARE);
    r.setSeriesPaint(0, WORSE);
    r.setSeriesPaint(1, LINE);
    r.setSeriesShape(1, new Ellipse2D.Double(-2.5, -2.5, 5, 5));
    r.setSeriesPaint(2, SAME);
    r.setSeriesShapesVisible(2, false);
    for (int s = 3; s < 5; s++) {
      r.setSeriesPaint(s, new Color(0x7f7f7f));
      r.setSeriesShapesVisible(s, false);
      r.setSeriesStroke(s, new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
    }
    r.setSeriesVisibleInLegend(4, false);
    SymbolAxis x = new SymbolAxis(null, periods);
    x.setVerticalTickLabels(true);
    x.setTickLabelFont(new Font("DejaVu Sans", Font.PLAIN, periods.length > 30 ? 8 : 10));
    x.setGridBandsVisible(false);
    NumberAxis y = axis(axisLabel);
    y.setAutoRangeIncludesZero(false);
    return png(chart(title, new XYPlot(data, x, y, r)), WIDTH, 380);
  }

  /** Monthly counts, one line per series. */
  /** The value axis of a control chart of this kind (p, pp, c, u, or xmr). */
  static String axisOf(String chart) {
    return switch (chart) {
      case "p", "pp" -> "proportion";
      case "c" -> "count";
      case "u" -> "rate";
      default -> "value";
    };
  }

  static String monthly(String title, String axisLabel, Map<String, Map<YearMonth, Double>> series) {
    TimeSeriesCollection data = new TimeSeriesCollection();
    series.forEach((name, points) -> {
      TimeSeries s = new TimeSeries(name);
      points.forEach((m, v) -> s.add(new Month(m.getMonthValue(), m.getYear()), v));
      data.addSeries(s);
    });
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
    Color[] colours = {LINE, new Color(0xe66101), BETTER, SAME};
    for (int s = 0; s < series.size(); s++) {
      r.setSeriesPaint(s, colours[s % colours.length]);
      r.setSeriesStroke(s, new BasicStroke(2f));
    }
    DateAxis x = new DateAxis(null);
    x.setTickLabelFont(LABEL);
    NumberAxis y = axis(axisLabel);
    return png(chart(title, new XYPlot(data, x, y, r)), WIDTH, 360);
  }

  /** Scatter of x against y, highlighted points apart, with the least-squares line over all points. */
  static String scatter(String title, String xLabel, String yLabel, double[][] others, double[][] highlighted,
      String highlightLabel, double intercept, double slope) {
    XYSeriesCollection dots = new XYSeriesCollection();
    XYSeries rest = new XYSeries("other OCUs", false);
    XYSeries own = new XYSeries(highlightLabel, false);
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double[][] set : List.of(others, highlighted)) {
      for (double[] p : set) {
        (set == others ? rest : own).add(p[0], p[1]);
        min = Math.min(min, p[0]);
        max = Math.max(max, p[0]);
      }
    }
    dots.addSeries(own);
    dots.addSeries(rest);
    XYLineAndShapeRenderer shapes = new XYLineAndShapeRenderer(false, true);
    shapes.setSeriesPaint(0, LINE);
    shapes.setSeriesPaint(1, new Color(0xa0a0a0));
    shapes.setSeriesShape(0, DOT);
    shapes.setSeriesShape(1, DOT);
    XYSeries fit = new XYSeries("least-squares line (all OCUs)", false);
    fit.add(min, intercept + slope * min);
    fit.add(max, intercept + slope * max);
    XYLineAndShapeRenderer line = new XYLineAndShapeRenderer(true, false);
    line.setSeriesPaint(0, WORSE);
    line.setSeriesStroke(0, new BasicStroke(2f));
    NumberAxis x = axis(xLabel);
    x.setAutoRangeIncludesZero(false);
    NumberAxis y = axis(yLabel);
    y.setAutoRangeIncludesZero(false);
    XYPlot plot = new XYPlot(dots, x, y, shapes);
    plot.setDataset(1, new XYSeriesCollection(fit));
    plot.setRenderer(1, line);
    plot.addDomainMarker(new ValueMarker(0, new Color(0xc0c0c0), new BasicStroke(1f)));
    plot.addRangeMarker(new ValueMarker(0, new Color(0xc0c0c0), new BasicStroke(1f)));
    return png(chart(title, plot), WIDTH, 440);
  }

  private static NumberAxis axis(String label) {
    NumberAxis a = new NumberAxis(label);
    a.setLabelFont(LABEL);
    a.setTickLabelFont(LABEL);
    return a;
  }

  private static ValueMarker marker(double at, String label) {
    ValueMarker m = new ValueMarker(at, new Color(0x404040), new BasicStroke(1.5f, BasicStroke.CAP_BUTT,
        BasicStroke.JOIN_MITER, 10f, new float[] {4f, 3f}, 0f));
    m.setLabel(label);
    m.setLabelFont(LABEL);
    m.setLabelPaint(new Color(0x404040));
    m.setLabelAnchor(org.jfree.chart.ui.RectangleAnchor.BOTTOM_RIGHT);
    m.setLabelTextAnchor(org.jfree.chart.ui.TextAnchor.BOTTOM_LEFT);
    return m;
  }

  private static JFreeChart chart(String title, XYPlot plot) {
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(new Color(0xe0e0e0));
    plot.setRangeGridlinePaint(new Color(0xe0e0e0));
    plot.setOutlineVisible(false);
    JFreeChart chart = new JFreeChart(null, TITLE, plot, true);
    chart.setTitle(new TextTitle(title, TITLE));
    chart.setBackgroundPaint(Color.WHITE);
    chart.getLegend().setItemFont(LABEL);
    chart.getLegend().setFrame(org.jfree.chart.block.BlockBorder.NONE);
    return chart;
  }

  private static String png(JFreeChart chart, int width, int height) {
    try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      ChartUtils.writeChartAsPNG(out, chart, width, height);
      return "data:image/png;base64," + Base64.getEncoder().encodeToString(out.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
