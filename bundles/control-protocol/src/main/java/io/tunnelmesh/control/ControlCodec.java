package io.tunnelmesh.control;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Jackson mapping of the messages; one instance per user (no static mapper). Thread-safe. Strict about kinds
 * (no "1" for a number, no 1.5 for an int, no null for a number or boolean, no duplicate keys, nothing after the
 * object, no missing number or boolean) because a peer sending those is broken; lenient about unknown fields,
 * which a newer peer may add, and about missing strings and lists (null, and lists then empty).
 */
public final class ControlCodec {
    private static final Set<String> TYPES = Set.of("hello", "welcome", "map", "delta", "endpoints", "ping", "pong", "bye");
    private static final int MAX_DETAIL = 160;

    private final ObjectMapper mapper;
    private final ObjectWriter writer;
    private final ObjectWriter entryWriter;
    private final ObjectReader reader;

    public ControlCodec() {
        mapper = JsonMapper.builder()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .build();
        writer = mapper.writerFor(ControlMessage.class);
        entryWriter = mapper.writerFor(NodeEntry.class);
        reader = mapper.readerFor(ControlMessage.class);
    }

    public byte[] encode(ControlMessage message) {
        try {
            return writer.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            // records of strings, numbers and lists always serialise; this would be a bug here
            throw new UncheckedIOException("cannot encode " + message.getClass().getSimpleName(), e);
        }
    }

    /**
     * One "node" object exactly as it appears inside an encoded map or delta, so a coordinator can keep each
     * member's bytes and splice messages from them instead of encoding N entries again.
     */
    public byte[] encodeEntry(NodeEntry entry) {
        try {
            return entryWriter.writeValueAsBytes(entry);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot encode a node entry", e);
        }
    }

    /** @throws ControlProtocolException (one line) on non-JSON, missing/unknown-at-handshake type, wrong field kinds */
    public ControlMessage decode(byte[] json) throws ControlProtocolException {
        JsonNode tree = parse(json);
        String type = tree.get("type").textValue();
        if (!TYPES.contains(type)) {
            throw new ControlProtocolException("control message of unknown type \"" + oneLine(type) + "\" (this node speaks "
                    + TYPES.stream().sorted().collect(Collectors.joining(", ")) + ")");
        }
        return bind(tree, type);
    }

    /**
     * Like {@link #decode} but an unknown {@code type} (from a newer peer) is empty rather than an error: after the
     * handshake such messages are ignored, as docs/COORDINATOR.md says.
     *
     * @throws ControlProtocolException (one line) on non-JSON, a missing type, wrong field kinds
     */
    public Optional<ControlMessage> decodeIfKnown(byte[] json) throws ControlProtocolException {
        JsonNode tree = parse(json);
        String type = tree.get("type").textValue();
        return TYPES.contains(type) ? Optional.of(bind(tree, type)) : Optional.empty();
    }

    /** @return a JSON object with a string "type" */
    private JsonNode parse(byte[] json) throws ControlProtocolException {
        JsonNode tree;
        try {
            tree = mapper.readTree(json);
        } catch (IOException e) {
            throw new ControlProtocolException("control message is not valid JSON: " + detail(e));
        }
        if (tree == null || !tree.isObject()) {
            throw new ControlProtocolException("control message is not a JSON object");
        }
        JsonNode type = tree.get("type");
        if (type == null || !type.isTextual()) {
            throw new ControlProtocolException("control message lacks its \"type\" string");
        }
        return tree;
    }

    private ControlMessage bind(JsonNode tree, String type) throws ControlProtocolException {
        try {
            return reader.readValue(tree);
        } catch (IOException | IllegalArgumentException e) {
            throw new ControlProtocolException("control message \"" + type + "\" is malformed: " + detail(e));
        }
    }

    /** Jackson's message without its multi-line location block, plus the field path, cut to one short line. */
    private static String detail(Exception e) {
        String message = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        if (message != null && message.startsWith("Cannot map `null` into type")) {
            message = "missing or null where a number or boolean belongs";
        }
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            String path = m.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining("."));
            message = "field " + path + ": " + message;
        }
        return oneLine(message);
    }

    static String oneLine(String text) {
        if (text == null) {
            return "(no detail)";
        }
        int newline = text.indexOf('\n');
        String line = newline >= 0 ? text.substring(0, newline) : text;
        StringBuilder b = new StringBuilder(Math.min(line.length(), MAX_DETAIL + 1));
        for (int i = 0; i < line.length() && b.length() < MAX_DETAIL; i++) {
            char c = line.charAt(i);
            b.append(Character.isISOControl(c) || c == '\u2028' || c == '\u2029' ? '?' : c);
        }
        if (line.length() > MAX_DETAIL) {
            b.append('…');
        }
        return b.toString();
    }
}
