package org.hri.validators.fhir;

import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Full FHIR R4 instance validation of one record with a shared HAPI {@link FhirValidator} (see
 * {@link FhirR4Profiles}). Errors and fatal errors are problems; warnings and information are not.
 *
 * <p>HAPI's message texts quote the record (codes, strings, ids, references), so a problem is built only from the
 * message id, a fixed key such as {@code Terminology_TX_NoValid_1_CC}, and the location, normalised to the form
 * {@link FhirStructureChecker} uses: {@code Terminology_TX_NoValid_1_CC [Bundle.entry[2].resource.clinicalStatus]}.
 * HAPI's locations embed {@code /*Type/id*}{@code /} comments naming the resource (its id is record content); they
 * are removed, and whatever is left that is not plainly element names and indices is cut off.
 *
 * <p>One instance per worker thread (it is cheap; the validator it wraps is shared).
 */
public final class FhirProfileChecker {
  private static final Pattern COMMENT = Pattern.compile("/\\*.*?\\*/");
  private static final Pattern OF_TYPE = Pattern.compile("\\.ofType\\(([A-Za-z][A-Za-z0-9]*)\\)");
  private static final Pattern SAFE_SEGMENT = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}(\\[\\d{1,9}])?");
  private static final Pattern MESSAGE_ID = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,127}");
  private static final Pattern INVARIANT_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9\\-.]{0,63}");

  private final FhirValidator validator;
  private final Set<String> resourceTypes;
  private final int maxProblems;

  public FhirProfileChecker(FhirValidator validator, int maxProblems) {
    this.validator = validator;
    this.resourceTypes = FhirR4.context().getResourceTypes();
    this.maxProblems = maxProblems;
  }

  /**
   * The problems of {@code json} (a structurally valid FHIR R4 resource), at most {@code maxProblems} of them,
   * plus one {@code null} entry at the end when there were more. Empty when it is valid.
   */
  public List<String> check(String json) {
    Set<String> problems = new LinkedHashSet<>(); // HAPI may report one problem once per profile or slice
    boolean more = false;
    for (SingleValidationMessage message : validator.validateWithResult(json).getMessages()) {
      if (message.getSeverity() != ResultSeverityEnum.ERROR && message.getSeverity() != ResultSeverityEnum.FATAL) {
        continue;
      }
      String location = location(message.getLocationString(), resourceTypes);
      String problem = location.isEmpty() ? kind(message) : kind(message) + " [" + location + "]";
      if (problems.size() < maxProblems) {
        problems.add(problem);
      } else if (!problems.contains(problem)) {
        more = true;
        break;
      }
    }
    List<String> listed = new ArrayList<>(problems);
    if (more) {
      listed.add(null);
    }
    return listed;
  }

  /**
   * The message's id: a key of HAPI's message catalogue ({@code Terminology_TX_NoValid_1_CC}), or for a failed
   * invariant the profile's URL and the invariant's key ({@code http://hl7.org/fhir/StructureDefinition/Condition#con-4},
   * reported as {@code Constraint failed: con-4}); both come from the definitions, never from the record.
   */
  private static String kind(SingleValidationMessage message) {
    String id = message.getMessageId();
    if (id == null) {
      return "Invalid FHIR";
    }
    if (MESSAGE_ID.matcher(id).matches()) {
      return id;
    }
    String invariant = id.substring(id.lastIndexOf('#') + 1);
    return id.contains("#") && INVARIANT_KEY.matcher(invariant).matches() ? "Constraint failed: " + invariant : "Invalid FHIR";
  }

  /**
   * {@code Bundle.entry[0].resource/*Patient/x*}{@code /.extension[1].value.ofType(Coding)} becomes
   * {@code Bundle.entry[0].resource.extension[1].valueCoding}: no comments, JSON names for choices, and no
   * segment that is not an element name with an optional index.
   */
  static String location(String hapiLocation, Set<String> resourceTypes) {
    if (hapiLocation == null || hapiLocation.isEmpty()) {
      return "";
    }
    String path = COMMENT.matcher(hapiLocation).replaceAll("");
    Matcher ofType = OF_TYPE.matcher(path);
    StringBuilder joined = new StringBuilder();
    while (ofType.find()) {
      String type = ofType.group(1);
      // a resource's type (Bundle.entry[0].resource.ofType(Patient)) adds nothing; a choice's type names it
      String replacement = resourceTypes.contains(type) ? "" : Character.toUpperCase(type.charAt(0)) + type.substring(1);
      ofType.appendReplacement(joined, Matcher.quoteReplacement(replacement));
    }
    ofType.appendTail(joined);
    StringBuilder safe = new StringBuilder();
    for (String segment : joined.toString().split("\\.", -1)) {
      if (!SAFE_SEGMENT.matcher(segment).matches()) {
        break;
      }
      if (!safe.isEmpty()) {
        safe.append('.');
      }
      safe.append(segment);
    }
    return safe.toString();
  }
}
