package io.httppool.sample;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * The sample as it ships, with the Sphinx4 engine, on a random port. Every test class
 * with this annotation gets the same cached application context, so the recognizers are
 * loaded once per test JVM; such classes must not dirty the context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sample.upstream.engine=sphinx")
public @interface SphinxApplicationTest {

}
