package org.hri.local.mgmt;

/** An answer other than success: an HTTP status and the {@code errorDescription} of its ErrorDetail body. */
final class ApiException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int status;

  ApiException(int status, String description) {
    super(description, null, false, false);
    this.status = status;
  }

  int status() {
    return status;
  }

  String description() {
    return getMessage();
  }

  static ApiException badRequest(String description) {
    return new ApiException(400, description);
  }

  static ApiException unauthorized(String description) {
    return new ApiException(401, description);
  }

  static ApiException notFound(String description) {
    return new ApiException(404, description);
  }

  static ApiException conflict(String description) {
    return new ApiException(409, description);
  }

  static ApiException internal(String description) {
    return new ApiException(500, description);
  }
}
