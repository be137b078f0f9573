package io.httppool.sample.web;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;

/**
 * The upload cannot be transcribed; the message tells the caller why.
 *
 * @author http-pool team
 */
class BadUploadException extends RuntimeException {

	private final HttpStatus status;

	BadUploadException(HttpStatus status, @Nullable String message) {
		super(message);
		this.status = status;
	}

	HttpStatus getStatus() {
		return this.status;
	}

}
