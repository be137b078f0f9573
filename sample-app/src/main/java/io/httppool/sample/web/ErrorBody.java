package io.httppool.sample.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.httppool.sample.transcription.UpstreamException;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatusCode;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * JSON body of every error the sample answers.
 *
 * @param status the HTTP status code
 * @param error the reason phrase
 * @param message what went wrong, for the person who sent the request
 * @param upstream the http-pool client whose upstream failed, or {@code null}
 * @author http-pool team
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorBody(int status, String error, @Nullable String message, @Nullable String upstream) {

	static ErrorBody of(HttpStatusCode status, @Nullable String message, @Nullable String upstream) {
		HttpStatus resolved = HttpStatus.resolve(status.value());
		String error = (resolved != null) ? resolved.getReasonPhrase() : String.valueOf(status.value());
		return new ErrorBody(status.value(), error, message, upstream);
	}

	static ErrorBody of(UpstreamException failure) {
		return of(failure.getStatus(), failure.getMessage(), failure.getClientName());
	}

	ResponseEntity<ErrorBody> toResponseEntity() {
		return ResponseEntity.status(this.status).contentType(MediaType.APPLICATION_JSON).body(this);
	}

}
