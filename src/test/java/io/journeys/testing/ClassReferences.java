package io.journeys.testing;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The classes one class file refers to, read from its constant pool: the classes it names (instantiates,
 * calls, casts to, catches) and those in the descriptors of the fields and methods it uses. These are what the
 * JVM must find to link the class; a missing one is a {@code NoClassDefFoundError} on first use.
 */
public final class ClassReferences {

    private static final Pattern DESCRIPTOR_CLASS = Pattern.compile("L([^;<>]+);");

    private ClassReferences() {}

    /** Internal names ({@code com/google/re2j/Pattern}) of the classes that {@code classFile} refers to. */
    public static Set<String> of(byte[] classFile) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("Expected a class file, but the magic number is wrong");
        }
        in.readUnsignedShort(); // minor version
        in.readUnsignedShort(); // major version
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        int[] classNames = new int[count];
        int[] descriptors = new int[count];
        int classes = 0;
        int described = 0;
        for (int index = 1; index < count; index++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[index] = in.readUTF();
                case 3, 4 -> in.readInt();
                case 5, 6 -> {
                    in.readLong();
                    index++; // a long or a double takes two entries
                }
                case 7 -> classNames[classes++] = in.readUnsignedShort();
                case 8, 19, 20 -> in.readUnsignedShort();
                case 9, 10, 11, 17, 18 -> in.readInt();
                case 12 -> {
                    in.readUnsignedShort();
                    descriptors[described++] = in.readUnsignedShort();
                }
                case 15 -> {
                    in.readUnsignedByte();
                    in.readUnsignedShort();
                }
                case 16 -> descriptors[described++] = in.readUnsignedShort();
                default -> throw new IOException("Expected a constant pool tag, but found " + tag + " at " + index);
            }
        }
        Set<String> references = new LinkedHashSet<>();
        for (int i = 0; i < classes; i++) {
            String name = utf8[classNames[i]];
            if (name.startsWith("[")) {
                addDescriptorClasses(name, references);
            } else {
                references.add(name);
            }
        }
        for (int i = 0; i < described; i++) {
            addDescriptorClasses(utf8[descriptors[i]], references);
        }
        return references;
    }

    private static void addDescriptorClasses(String descriptor, Set<String> references) {
        Matcher matcher = DESCRIPTOR_CLASS.matcher(descriptor);
        while (matcher.find()) {
            references.add(matcher.group(1));
        }
    }
}
