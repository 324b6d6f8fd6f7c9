package io.mpi4j.bench.osu;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.Range;
import org.jfree.data.general.DatasetUtils;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Draws one comparison plot as PNG: values against message size, both axes logarithmic, one line per result file
 * ({@code size value} lines, as the compare script's medians; sizes or values of 0 cannot be drawn on a log axis
 * and are left out).
 * <pre>ComparePlot out.png "title" "y label" file label [file label ...]</pre>
 */
public final class ComparePlot
{
    private static final Color[] COLORS = {new Color(0xD62728), new Color(0x1F77B4), new Color(0x2CA02C),
        new Color(0xFF7F0E), new Color(0x9467BD), new Color(0x8C564B)};

    private ComparePlot()
    {
    }

    public static void main(final String[] args) throws IOException
    {
        if (args.length < 5 || (args.length - 3) % 2 != 0)
        {
            System.err.println("usage: ComparePlot out.png title y-label file label [file label ...]");
            System.exit(2);
            return;
        }
        final XYSeriesCollection data = new XYSeriesCollection();
        for (int i = 3; i < args.length; i += 2)
        {
            data.addSeries(series(Path.of(args[i]), args[i + 1]));
        }
        final LogAxis sizes = new LogAxis("Message size (bytes)");
        sizes.setBase(2);
        sizes.setSmallestValue(1);
        sizes.setTickUnit(new NumberTickUnit(2));
        sizes.setNumberFormatOverride(new ByteSizeFormat());
        final LogAxis values = new LogAxis(args[2]);
        values.setSmallestValue(1e-3);
        values.setNumberFormatOverride(new DecimalFormat("#,##0.###"));
        final Range range = DatasetUtils.findRangeBounds(data);
        if (range != null && range.getLowerBound() > 0 && range.getUpperBound() / range.getLowerBound() > 100)
        {
            // decades only: automatic ticks on a wide log range land on values like 630.957
            values.setTickUnit(new NumberTickUnit(1));
        }
        final XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (int s = 0; s < data.getSeriesCount(); s++)
        {
            renderer.setSeriesPaint(s, COLORS[s % COLORS.length]);
            renderer.setSeriesStroke(s, new BasicStroke(2f));
        }
        final XYPlot plot = new XYPlot(data, sizes, values, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        final JFreeChart chart = new JFreeChart(args[1], JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(new File(args[0]), chart, 900, 560);
    }

    private static XYSeries series(final Path file, final String label) throws IOException
    {
        final XYSeries series = new XYSeries(label);
        for (final String line : Files.readAllLines(file))
        {
            final String[] fields = line.trim().split("\\s+");
            if (line.startsWith("#") || fields.length < 2)
            {
                continue;
            }
            try
            {
                final double x = Double.parseDouble(fields[0]);
                final double y = Double.parseDouble(fields[1]);
                if (x > 0 && y > 0)
                {
                    series.add(x, y);
                }
            }
            catch (final NumberFormatException ignored)
            {
                // not a data line
            }
        }
        return series;
    }

    /** Tick labels of the size axis: 1, 4, 16, 64, 256, 1K ... 4M. */
    private static final class ByteSizeFormat extends NumberFormat
    {
        private static final long serialVersionUID = 1L;

        @Override
        public StringBuffer format(final double number, final StringBuffer to, final FieldPosition position)
        {
            return format(Math.round(number), to, position);
        }

        @Override
        public StringBuffer format(final long number, final StringBuffer to, final FieldPosition position)
        {
            if (number >= 1 << 20 && number % (1 << 20) == 0)
            {
                return to.append(number >> 20).append('M');
            }
            if (number >= 1 << 10 && number % (1 << 10) == 0)
            {
                return to.append(number >> 10).append('K');
            }
            return to.append(number);
        }

        @Override
        public Number parse(final String source, final ParsePosition position)
        {
            throw new UnsupportedOperationException("labels only");
        }
    }
}
