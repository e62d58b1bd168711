package io.journeys.exports;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.enumerate.FileEnumerator;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * Lists the part files of complete audience exports ({@code <root>/<audienceId>/<exportId>/} with a
 * {@code _SUCCESS} marker), one split per file. Flink's continuous file enumerator remembers, in its
 * checkpoints, which files it has handed out, so each export is read exactly once across failures.
 */
final class ExportFileEnumerator implements FileEnumerator {

    private long nextSplitId;

    @Override
    public Collection<FileSourceSplit> enumerateSplits(Path[] roots, int minDesiredSplits) throws IOException {
        List<FileSourceSplit> splits = new ArrayList<>();
        for (Path root : roots) {
            FileSystem fs = root.getFileSystem();
            for (FileStatus audience : list(fs, root)) {
                if (!audience.isDir()) {
                    continue;
                }
                for (FileStatus export : list(fs, audience.getPath())) {
                    if (export.isDir() && fs.exists(new Path(export.getPath(), "_SUCCESS"))) {
                        for (FileStatus part : list(fs, export.getPath())) {
                            if (isPart(part)) {
                                splits.add(new FileSourceSplit(String.valueOf(nextSplitId++), part.getPath(), 0,
                                        part.getLen(), part.getModificationTime(), part.getLen()));
                            }
                        }
                    }
                }
            }
        }
        return splits;
    }

    static boolean isPart(FileStatus file) {
        String name = file.getPath().getName();
        return !file.isDir() && !name.startsWith("_") && !name.startsWith(".")
                && (name.endsWith(".csv") || name.endsWith(".jsonl") || name.endsWith(".json") || name.endsWith(".avro"));
    }

    private static FileStatus[] list(FileSystem fs, Path dir) throws IOException {
        FileStatus[] files = fs.listStatus(dir);
        return files == null ? new FileStatus[0] : files;
    }
}
