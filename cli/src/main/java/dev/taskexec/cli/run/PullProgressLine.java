package dev.taskexec.cli.run;

import dev.taskexec.api.support.DurationText;
import dev.taskexec.executor.docker.PullProgress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The text of the one line that shows an image pull on a terminal, from the engine's progress
 * messages: {@code taskexec: pulling busybox:1.36: 1/3 layers, 1.4 MB of 2.2 MB}, with
 * {@code , extracting} while a layer is unpacked; before any layer is known, the engine's own
 * message ({@code Pulling from library/busybox}). The end is one summary line:
 * {@code taskexec: pulled busybox:1.36: 3 layers (1 already present), 2.2 MB in 3.1s}, or
 * {@code taskexec: pulling busybox:1.36 failed: <the engine's error>}.
 *
 * <p>A layer counts as done once it is unpacked or was present already; the bytes are those
 * downloaded of the layers whose size the engine has told (a layer's size is known once its
 * download begins). Redrawing is rate-limited: {@link #update} returns a line only when it differs
 * from the last one returned and {@link #REDRAW} has passed since (the first always), since an
 * engine sends many messages a second. Lines are cut to the terminal's width, so that a carriage
 * return can redraw them. Pure and single-threaded: the caller passes the time.
 */
final class PullProgressLine {

    /** The least time between two redraws. */
    static final Duration REDRAW = Duration.ofMillis(100);

    private enum Phase {
        WAITING,
        DOWNLOADING,
        DOWNLOADED,
        EXTRACTING,
        DONE,
        PRESENT
    }

    private static final class Layer {
        Phase phase = Phase.WAITING;
        long size; // bytes to download, 0 until told
        long downloaded;
    }

    private final String image;
    private final int width;
    private final long startedNanos;
    private final Map<String, Layer> layers = new LinkedHashMap<>();
    private String pullMessage = "";
    private String lastLine;
    private long lastDrawnNanos;

    /**
     * @param image the image being pulled
     * @param width the terminal's width in columns; lines are at most one less
     * @param startedNanos when the pull began ({@link System#nanoTime()} scale)
     */
    PullProgressLine(String image, int width, long startedNanos) {
        this.image = image;
        this.width = Math.max(20, width);
        this.startedNanos = startedNanos;
    }

    /**
     * Takes one progress message.
     *
     * @param p the message
     * @param nowNanos the time now
     * @return the line to draw now, or empty when nothing needs redrawing yet
     */
    Optional<String> update(PullProgress p, long nowNanos) {
        if (p.layer().isEmpty()) {
            pullMessage = p.status();
        } else {
            Layer layer = layers.computeIfAbsent(p.layer(), id -> new Layer());
            switch (p.status()) {
                case "Downloading" -> {
                    layer.phase = Phase.DOWNLOADING;
                    layer.size = Math.max(layer.size, p.total());
                    layer.downloaded =
                            layer.size > 0 ? Math.min(p.current(), layer.size) : p.current();
                }
                case "Verifying Checksum", "Download complete" -> {
                    layer.phase = Phase.DOWNLOADED;
                    layer.downloaded = layer.size;
                }
                case "Extracting" -> {
                    layer.phase = Phase.EXTRACTING;
                    layer.downloaded = layer.size;
                }
                case "Pull complete" -> {
                    layer.phase = Phase.DONE;
                    layer.downloaded = layer.size;
                }
                case "Already exists" -> layer.phase = Phase.PRESENT;
                default -> {} // "Pulling fs layer", "Waiting", and whatever a newer engine sends
            }
        }
        String line = clip(text());
        boolean due = lastLine == null || nowNanos - lastDrawnNanos >= REDRAW.toNanos();
        if (!due || line.equals(lastLine)) {
            return Optional.empty();
        }
        lastLine = line;
        lastDrawnNanos = nowNanos;
        return Optional.of(line);
    }

    /**
     * The line that replaces the progress once the pull has ended.
     *
     * @param failure the engine's error, or empty when the pull succeeded
     * @param nowNanos the time now
     * @return the summary line
     */
    String summary(Optional<String> failure, long nowNanos) {
        if (failure.isPresent()) {
            return clip(
                    "taskexec: pulling "
                            + image
                            + " failed: "
                            + failure.get().strip().replaceAll("\\s*\\R\\s*", " "));
        }
        long present = layers.values().stream().filter(l -> l.phase == Phase.PRESENT).count();
        long bytes = layers.values().stream().mapToLong(l -> l.size).sum();
        long tenths = Math.max(0, nowNanos - startedNanos) / 100_000_000L;
        StringBuilder s = new StringBuilder("taskexec: pulled ").append(image);
        if (!layers.isEmpty()) {
            s.append(": ").append(count(layers.size(), "layer"));
            if (present > 0) {
                s.append(" (").append(present).append(" already present)");
            }
            if (bytes > 0) {
                s.append(", ").append(bytes(bytes));
            }
        }
        s.append(" in ").append(DurationText.format(Duration.ofMillis(Math.max(1, tenths) * 100)));
        return clip(s.toString());
    }

    private String text() {
        StringBuilder s = new StringBuilder("taskexec: pulling ").append(image);
        if (layers.isEmpty()) {
            if (!pullMessage.isEmpty()) {
                s.append(": ").append(pullMessage);
            }
            return s.toString();
        }
        long done = 0;
        long size = 0;
        long downloaded = 0;
        boolean extracting = false;
        for (Layer l : layers.values()) {
            done += l.phase == Phase.DONE || l.phase == Phase.PRESENT ? 1 : 0;
            size += l.size;
            downloaded += l.downloaded;
            extracting |= l.phase == Phase.EXTRACTING;
        }
        s.append(": ").append(done).append('/').append(count(layers.size(), "layer"));
        if (size > 0) {
            s.append(", ").append(bytes(downloaded)).append(" of ").append(bytes(size));
        }
        if (extracting) {
            s.append(", extracting");
        }
        return s.toString();
    }

    private static String count(long n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }

    /** Bytes in the engine's decimal units: {@code 512 B}, {@code 22.4 kB}, {@code 2.2 MB}. */
    static String bytes(long n) {
        if (n < 1000) {
            return n + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB", "PB", "EB"};
        double value = n;
        int unit = -1;
        while (value >= 999.95 && unit < units.length - 1) {
            value /= 1000;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    private String clip(String line) {
        int max = width - 1; // the last column would make some terminals wrap
        return line.length() <= max ? line : line.substring(0, max - 3) + "...";
    }
}
