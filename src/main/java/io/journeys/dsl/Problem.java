package io.journeys.dsl;

/**
 * One thing wrong with a journey document.
 *
 * @param code stable error code, see {@link ProblemCode}
 * @param pointer JSON pointer to the offending value ("" for the whole document)
 */
public record Problem(ProblemCode code, String pointer, String message) {

    @Override
    public String toString() {
        return code.code() + " " + (pointer.isEmpty() ? "/" : pointer) + ": " + message;
    }
}
