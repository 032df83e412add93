package org.hri.validators.fhir;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementCompositeDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeChildChoiceDefinition;
import ca.uhn.fhir.context.RuntimeChildContainedResources;
import ca.uhn.fhir.context.RuntimeChildDirectResource;
import ca.uhn.fhir.context.RuntimeChildExtension;
import ca.uhn.fhir.context.RuntimeChildResourceDefinition;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.hl7.fhir.instance.model.api.IPrimitiveType;

/**
 * Structural validation of FHIR R4 JSON against HAPI FHIR's R4 model definitions: the level of the original
 * job's parser. It checks resource types, element names (unknown elements, misplaced {@code _x} primitive
 * extensions, more than one choice of a {@code [x]} element), cardinality (arrays for repeating elements only,
 * required elements present), the JSON type of primitives (string, number, boolean), primitive values (dates,
 * numbers, ids, codes, XHTML) and the codes of required bindings that the model enumerates (e.g.
 * {@code Patient.gender}). It does not check invariants, terminologies or profiles.
 *
 * <p>Each problem is reported with a FHIRPath-like location such as {@code Bundle.entry[0].resource.gender}.
 * Problems never quote the record's values; the only record text they may contain is the name of an unknown
 * element, and only when it looks like an element name.
 *
 * <p>Not thread-safe: one instance per worker thread. Walks a Jackson tree of the record.
 */
public final class FhirStructureChecker {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");
  private static final Pattern CODE = Pattern.compile("[^\\s]+( [^\\s]+)*");
  private static final Pattern ELEMENT_NAME = Pattern.compile("_?[A-Za-z][A-Za-z0-9_]{0,63}");
  /** Primitive types whose HAPI classes accept any string: no need to build an instance to check them. */
  private static final Set<String> FREE_TEXT = Set.of("string", "markdown", "uri", "url", "canonical", "uuid", "oid", "base64Binary");

  private final FhirContext context;
  private final Set<String> resourceTypes;
  private final Map<String, RuntimeResourceDefinition> resources = new HashMap<>();
  private final BaseRuntimeElementCompositeDefinition<?> extension;
  private final int maxProblems;

  private final List<String> problems = new ArrayList<>();
  private String[] names = new String[64];
  private int[] indices = new int[64];
  private int depth;

  public FhirStructureChecker(FhirContext context, int maxProblems) {
    this.context = context;
    this.resourceTypes = context.getResourceTypes();
    this.extension = (BaseRuntimeElementCompositeDefinition<?>) context.getElementDefinition("Extension");
    this.maxProblems = maxProblems;
  }

  /**
   * The problems of {@code root} (a parsed JSON value), at most {@code maxProblems} of them, plus one
   * {@code null} entry at the end when there were more. Empty when the structure is valid.
   */
  public List<String> check(JsonNode root, boolean allowAnyResource) {
    problems.clear();
    depth = 0;
    if (!root.isObject()) {
      problems.add("Invalid FHIR: the record is not a JSON object");
      return List.copyOf(problems);
    }
    JsonNode type = root.get("resourceType");
    if (type == null) {
      problems.add("Missing required element: 'resourceType'");
    } else if (!type.isTextual() || !resourceTypes.contains(type.textValue())) {
      problems.add("Invalid resource type [resourceType]");
    } else if (!allowAnyResource && !"Bundle".equals(type.textValue())) {
      problems.add("Invalid resource type: the root must be a Bundle, not a " + type.textValue() + " [resourceType]");
    } else {
      push(type.textValue(), -1);
      resource((ObjectNode) root, resourceDefinition(type.textValue()));
      depth = 0;
    }
    return new ArrayList<>(problems);
  }

  private RuntimeResourceDefinition resourceDefinition(String type) {
    return resources.computeIfAbsent(type, context::getResourceDefinition);
  }

  /** A JSON object in a resource position (root, {@code Bundle.entry.resource}, {@code contained}). */
  private void resourceAt(JsonNode value) {
    if (!value.isObject()) {
      problem("Wrong JSON type: expected an object, found " + kind(value));
      return;
    }
    JsonNode type = value.get("resourceType");
    if (type == null) {
      problem("Missing required element: 'resourceType'");
    } else if (!type.isTextual() || !resourceTypes.contains(type.textValue())) {
      push("resourceType", -1);
      problem("Invalid resource type");
      pop();
    } else {
      resource((ObjectNode) value, resourceDefinition(type.textValue()));
    }
  }

  private void resource(ObjectNode object, RuntimeResourceDefinition definition) {
    composite(object, definition, true);
  }

  private void composite(ObjectNode object, BaseRuntimeElementCompositeDefinition<?> definition, boolean isResource) {
    List<BaseRuntimeChildDefinition> choicesSeen = null;
    Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
    while (fields.hasNext() && !full()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String name = field.getKey();
      JsonNode value = field.getValue();
      if (isResource && name.equals("resourceType")) {
        continue;
      }
      boolean primitiveExtension = name.length() > 1 && name.charAt(0) == '_';
      String elementName = primitiveExtension ? name.substring(1) : name;
      BaseRuntimeChildDefinition child = definition.getChildByName(elementName);
      if (child instanceof RuntimeChildResourceDefinition && !child.getElementName().equals(elementName)) {
        child = null; // HAPI's internal "<name>Resource" alias is no JSON name
      }
      if (child == null) {
        push(safeName(name), -1);
        problem("Unknown element");
        pop();
        continue;
      }
      if (child instanceof RuntimeChildChoiceDefinition || child.getValidChildNames().size() > 1) {
        if (choicesSeen == null) {
          choicesSeen = new ArrayList<>(2);
        }
        if (!primitiveExtension || !object.has(elementName)) {
          if (choicesSeen.contains(child)) {
            push(name, -1);
            problem("More than one choice of " + child.getElementName() + "[x]");
            pop();
            continue;
          }
          choicesSeen.add(child);
        }
      }
      BaseRuntimeElementDefinition<?> element = elementDefinition(child, elementName);
      if (primitiveExtension) {
        primitiveExtension(name, value, child, element, object.get(elementName));
      } else {
        element(name, value, child, element, object.get("_" + elementName));
      }
    }
    if (!full()) {
      required(object, definition);
    }
  }

  private BaseRuntimeElementDefinition<?> elementDefinition(BaseRuntimeChildDefinition child, String name) {
    if (child instanceof RuntimeChildExtension) {
      return extension;
    }
    return child.getChildByName(name);
  }

  private void required(ObjectNode object, BaseRuntimeElementCompositeDefinition<?> definition) {
    for (BaseRuntimeChildDefinition child : definition.getChildren()) {
      if (child.getMin() < 1) {
        continue;
      }
      boolean present = false;
      for (String name : child.getValidChildNames()) {
        if (object.has(name) || object.has("_" + name)) {
          present = true;
          break;
        }
      }
      if (!present) {
        push(child instanceof RuntimeChildChoiceDefinition ? child.getElementName() + "[x]" : child.getElementName(), -1);
        problem("Missing required element");
        pop();
      }
    }
  }

  /** A JSON property naming an element: single or array as the cardinality says. */
  private void element(String name, JsonNode value, BaseRuntimeChildDefinition child, BaseRuntimeElementDefinition<?> element, JsonNode extensions) {
    boolean repeats = child.getMax() != 1;
    if (value.isArray()) {
      if (!repeats) {
        push(name, -1);
        problem("Element does not repeat but is an array");
        pop();
        return;
      }
      for (int i = 0; i < value.size() && !full(); i++) {
        push(name, i);
        JsonNode item = value.get(i);
        if (item.isNull()) {
          JsonNode extension = extensions != null && extensions.isArray() ? extensions.get(i) : null;
          if (!isPrimitive(element) || extension == null || extension.isNull()) {
            problem("Null value");
          }
        } else {
          single(item, child, element);
        }
        pop();
      }
    } else {
      push(name, -1);
      if (repeats) {
        problem("Element repeats and must be an array");
      } else if (value.isNull()) {
        problem("Null value");
      } else {
        single(value, child, element);
      }
      pop();
    }
  }

  /** {@code _name}: the id and extensions of a primitive element. */
  private void primitiveExtension(String name, JsonNode value, BaseRuntimeChildDefinition child, BaseRuntimeElementDefinition<?> element, JsonNode values) {
    if (!isPrimitive(element)) {
      push(safeName(name), -1);
      problem("Unknown element");
      pop();
      return;
    }
    boolean repeats = child.getMax() != 1;
    if (repeats != value.isArray()) {
      push(name, -1);
      problem(repeats ? "Element repeats and must be an array" : "Element does not repeat but is an array");
      pop();
      return;
    }
    if (repeats) {
      if (values != null && (!values.isArray() || values.size() != value.size())) {
        push(name, -1);
        problem("Array length differs from that of " + child.getElementName());
        pop();
      }
      for (int i = 0; i < value.size() && !full(); i++) {
        if (!value.get(i).isNull()) {
          push(name, i);
          primitiveExtensionObject(value.get(i));
          pop();
        }
      }
    } else {
      push(name, -1);
      primitiveExtensionObject(value);
      pop();
    }
  }

  private void primitiveExtensionObject(JsonNode value) {
    if (!value.isObject()) {
      problem("Wrong JSON type: expected an object, found " + kind(value));
      return;
    }
    Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
    while (fields.hasNext() && !full()) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (field.getKey().equals("id")) {
        push("id", -1);
        if (!field.getValue().isTextual()) {
          problem("Wrong JSON type: expected a string, found " + kind(field.getValue()));
        }
        pop();
      } else if (field.getKey().equals("extension")) {
        element("extension", field.getValue(), extension.getChildByName("extension"), extension, null);
      } else {
        push(safeName(field.getKey()), -1);
        problem("Unknown element");
        pop();
      }
    }
  }

  /** One value of an element (an item of its array, or its only value). */
  private void single(JsonNode value, BaseRuntimeChildDefinition child, BaseRuntimeElementDefinition<?> element) {
    if (child instanceof RuntimeChildDirectResource || child instanceof RuntimeChildContainedResources) {
      resourceAt(value);
      return;
    }
    if (element == null) {
      problem("Unknown element");
      return;
    }
    switch (element.getChildType()) {
      case PRIMITIVE_DATATYPE, ID_DATATYPE, PRIMITIVE_XHTML, PRIMITIVE_XHTML_HL7ORG -> primitive(value, child, element);
      case COMPOSITE_DATATYPE, RESOURCE_BLOCK -> {
        if (value.isObject()) {
          composite((ObjectNode) value, (BaseRuntimeElementCompositeDefinition<?>) element, false);
        } else {
          problem("Wrong JSON type: expected an object, found " + kind(value));
        }
      }
      case RESOURCE, CONTAINED_RESOURCES, CONTAINED_RESOURCE_LIST -> resourceAt(value);
      default -> problem("Unsupported element");
    }
  }

  private static boolean isPrimitive(BaseRuntimeElementDefinition<?> element) {
    if (element == null) {
      return false;
    }
    return switch (element.getChildType()) {
      case PRIMITIVE_DATATYPE, ID_DATATYPE, PRIMITIVE_XHTML, PRIMITIVE_XHTML_HL7ORG -> true;
      default -> false;
    };
  }

  private void primitive(JsonNode value, BaseRuntimeChildDefinition child, BaseRuntimeElementDefinition<?> element) {
    String type = element.getName();
    switch (type) {
      case "boolean" -> {
        if (!value.isBoolean()) {
          problem("Wrong JSON type: expected a boolean, found " + kind(value));
        }
        return;
      }
      case "integer", "positiveInt", "unsignedInt" -> {
        if (!value.isNumber()) {
          problem("Wrong JSON type: expected a number, found " + kind(value));
        } else if (!value.isIntegralNumber() || !value.canConvertToInt()) {
          problem("Invalid value for type '" + type + "'");
        } else if (type.equals("positiveInt") && value.intValue() < 1 || type.equals("unsignedInt") && value.intValue() < 0) {
          problem("Invalid value for type '" + type + "'");
        }
        return;
      }
      case "decimal" -> {
        if (!value.isNumber()) {
          problem("Wrong JSON type: expected a number, found " + kind(value));
        }
        return;
      }
      default -> {
        if (!value.isTextual()) {
          problem("Wrong JSON type: expected a string, found " + kind(value));
          return;
        }
      }
    }
    String text = value.textValue();
    if (text.isEmpty()) {
      problem("Empty value");
      return;
    }
    if (type.equals("id") && !ID.matcher(text).matches()) {
      problem("Invalid value for type 'id'");
      return;
    }
    Object enumFactory = child.getInstanceConstructorArguments();
    if (type.equals("code") && !CODE.matcher(text).matches()) {
      problem(enumFactory != null ? "Invalid code for a required binding" : "Invalid value for type 'code'");
      return;
    }
    if (FREE_TEXT.contains(type) || type.equals("code") && enumFactory == null || type.equals("id")) {
      return;
    }
    try {
      IPrimitiveType<?> primitive = (IPrimitiveType<?>) element.newInstance(enumFactory);
      primitive.setValueAsString(text);
    } catch (RuntimeException e) { // HAPI's messages quote the value: name the kind of problem only
      problem(enumFactory != null ? "Invalid code for a required binding" : "Invalid value for type '" + type + "'");
    }
  }

  private static String kind(JsonNode value) {
    if (value.isTextual()) {
      return "a string";
    } else if (value.isNumber()) {
      return "a number";
    } else if (value.isBoolean()) {
      return "a boolean";
    } else if (value.isArray()) {
      return "an array";
    } else if (value.isObject()) {
      return "an object";
    }
    return "null";
  }

  /** An unknown element's name, unless it does not look like one (then it might be content). */
  private static String safeName(String name) {
    return ELEMENT_NAME.matcher(name).matches() ? name : "<unnamed element>";
  }

  private boolean full() {
    return problems.size() > maxProblems;
  }

  private void problem(String text) {
    if (problems.size() < maxProblems) {
      problems.add(text + " [" + location() + "]");
    } else if (problems.size() == maxProblems) {
      problems.add(null);
    }
  }

  private void push(String name, int index) {
    if (depth == names.length) {
      names = java.util.Arrays.copyOf(names, depth * 2);
      indices = java.util.Arrays.copyOf(indices, depth * 2);
    }
    names[depth] = name;
    indices[depth] = index;
    depth++;
  }

  private void pop() {
    depth--;
  }

  private String location() {
    StringBuilder path = new StringBuilder();
    for (int i = 0; i < depth; i++) {
      if (i > 0) {
        path.append('.');
      }
      path.append(names[i]);
      if (indices[i] >= 0) {
        path.append('[').append(indices[i]).append(']');
      }
    }
    return path.toString();
  }
}
