package io.journeys.report;

import java.util.ArrayList;
import java.util.List;

/** Columns aligned for a terminal: names left-aligned, figures right-aligned. */
final class TextTable {

    private final List<List<String>> rows = new ArrayList<>();
    private final String alignments;

    /** @param alignments one letter per column: {@code l} left-aligned, {@code r} right-aligned */
    TextTable(String alignments, String... header) {
        this.alignments = alignments;
        rows.add(List.of(header));
    }

    TextTable row(String... cells) {
        rows.add(List.of(cells));
        return this;
    }

    /** The lines, each prefixed with {@code indent}, without trailing spaces. */
    String render(String indent) {
        int columns = rows.stream().mapToInt(List::size).max().orElse(0);
        int[] widths = new int[columns];
        for (List<String> row : rows) {
            for (int c = 0; c < row.size(); c++) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        StringBuilder text = new StringBuilder();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder(indent);
            for (int c = 0; c < row.size(); c++) {
                String cell = row.get(c);
                String pad = " ".repeat(widths[c] - cell.length());
                line.append(c == 0 ? "" : "  ").append(alignments.charAt(c) == 'l' ? cell + pad : pad + cell);
            }
            text.append(line.toString().stripTrailing()).append('\n');
        }
        return text.toString();
    }
}
