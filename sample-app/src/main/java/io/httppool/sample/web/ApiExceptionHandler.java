package io.httppool.sample.web;

import io.httppool.sample.transcription.UpstreamException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;

/**
 * Turns every failure into a JSON {@link ErrorBody}: bad uploads into 4xx, a failed
 * upstream into 503 (or 502 when it rejected the request) naming the client, anything
 * else into 500. Never a stack trace in a response.
 *
 * @author http-pool team
 */
@RestControllerAdvice
class ApiExceptionHandler {

	private static final Log logger = LogFactory.getLog(ApiExceptionHandler.class);

	@ExceptionHandler
	ResponseEntity<ErrorBody> badUpload(BadUploadException ex) {
		return ErrorBody.of(ex.getStatus(), ex.getMessage(), null).toResponseEntity();
	}

	@ExceptionHandler
	ResponseEntity<ErrorBody> upstreamFailed(UpstreamException ex) {
		// the cause names the address the client tried: for the operator, not the caller
		logger.warn("Transcription failed: " + ex.getMessage() + " (" + ex.getCause() + ")");
		return ErrorBody.of(ex).toResponseEntity();
	}

	@ExceptionHandler
	ResponseEntity<ErrorBody> notMultipart(UnsupportedMediaTypeStatusException ex) {
		return ErrorBody
			.of(ex.getStatusCode(), "send the upload as multipart/form-data, for example curl -F file=@audio.wav", null)
			.toResponseEntity();
	}

	@ExceptionHandler
	ResponseEntity<ErrorBody> rejected(ResponseStatusException ex) {
		String reason = ex.getReason();
		return ErrorBody.of(ex.getStatusCode(), (reason != null) ? reason : ex.getMessage(), null).toResponseEntity();
	}

	@ExceptionHandler
	ResponseEntity<ErrorBody> unexpected(Exception ex) {
		logger.error("Unexpected failure", ex);
		return ErrorBody.of(HttpStatus.INTERNAL_SERVER_ERROR, "unexpected error, see the server log", null)
			.toResponseEntity();
	}

}
