package io.journeys.engine;

import org.apache.avro.util.ClassSecurityValidator;

/**
 * Makes Avro trust the project's own generated records.
 *
 * <p>Avro 1.12 refuses to instantiate a generated class outside its trusted packages ({@code SecurityException:
 * Forbidden io.journeys.avro.DeadLetter! This class is not trusted}). Its usual remedy is a JVM option,
 * {@code -Dorg.apache.avro.SERIALIZABLE_PACKAGES}, on every JVM that runs tasks; a data engineer often cannot
 * set JVM options on a shared cluster, and without it the job restart-loops. So the job trusts its own
 * package itself, through Avro's {@link ClassSecurityValidator} API: this runs wherever the job's records are
 * read (the serializers of {@link AvroRecords}, the input parser), before the first one is, on the TaskManager
 * as on the client. Avro is loaded by the job's own class loader on a cluster (it is in the job jar), so the
 * setting concerns this job's copy of Avro only. Whatever else Avro trusts (its defaults, the system
 * properties) stays trusted.
 */
public final class AvroTrust {

    /** The package of every record the job reads: the generated ones are under {@code io.journeys.avro}. */
    static final String TRUSTED_PACKAGE = "io.journeys.";

    private static boolean installed;

    private AvroTrust() {}

    /** Adds the project's package to what Avro trusts. Idempotent and cheap after the first call. */
    public static synchronized void trustOwnRecords() {
        if (installed) {
            return;
        }
        ClassSecurityValidator.ClassSecurityPredicate before = ClassSecurityValidator.getGlobal();
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(before,
                type -> type.getName().startsWith(TRUSTED_PACKAGE)));
        installed = true;
    }
}
