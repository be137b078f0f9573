package io.httppool.autoconfigure;

import java.io.IOException;
import java.lang.reflect.RecordComponent;

import io.httppool.HttpPoolClientSettings;
import org.junit.jupiter.api.Test;

import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.GeneratedFiles.Kind;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.javapoet.ClassName;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring AOT processing of {@link HttpPoolAutoConfiguration}: every client's beans are
 * written out as code, with their qualifier, and the reflection the mapper needs is
 * hinted. The sample's {@code aot} profile runs that code.
 */
class HttpPoolAotTests {

	private static final String CLIENT_BEANS = "io/httppool/autoconfigure/HttpPoolClientBeansRegistrar__BeanDefinitions.java";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(HttpPoolAutoConfiguration.class, WebClientAutoConfiguration.class,
				RestClientAutoConfiguration.class, SslAutoConfiguration.class))
		.withPropertyValues("http.pool.clients.stt.base-url=http://localhost:1",
				"http.pool.clients.llm.base-url=http://localhost:2");

	@Test
	void whenProcessedAheadOfTimeThenEveryClientBeanIsWrittenAsCodeWithItsQualifier() {
		this.runner.prepare((context) -> {
			InMemoryGeneratedFiles files = new InMemoryGeneratedFiles();
			process((GenericApplicationContext) context.getSourceApplicationContext(), files);
			String code = content(files, CLIENT_BEANS);
			assertThat(code).contains("getSttWebClientBeanDefinition", "getSttRestClientBeanDefinition",
					"getLlmWebClientBeanDefinition", "getLlmRestClientBeanDefinition");
			assertThat(code).contains("addIndexedArgumentValue(1, \"stt\")")
				.contains(
						"new AutowireCandidateQualifier(\"org.springframework.beans.factory.annotation.Qualifier\", \"stt\")");
		});
	}

	@Test
	void whenProcessedAheadOfTimeThenClientSettingsCanBeBoundInANativeImage() {
		this.runner.prepare((context) -> {
			DefaultGenerationContext generation = process(
					(GenericApplicationContext) context.getSourceApplicationContext(), new InMemoryGeneratedFiles());
			assertThat(RuntimeHintsPredicates.reflection()
				.onMethodInvocation(HttpPoolProperties.Client.class, "setBaseUrl"))
				.accepts(generation.getRuntimeHints());
			assertThat(RuntimeHintsPredicates.reflection()
				.onMethodInvocation(HttpPoolProperties.Retry.class, "setMaxAttempts"))
				.accepts(generation.getRuntimeHints());
		});
	}

	@Test
	void whenProcessedAheadOfTimeThenTheEndpointCanReadEverySettingInANativeImage() {
		this.runner.prepare((context) -> {
			DefaultGenerationContext generation = process(
					(GenericApplicationContext) context.getSourceApplicationContext(), new InMemoryGeneratedFiles());
			assertAccessorsHinted(HttpPoolClientSettings.class, generation);
		});
	}

	private static void assertAccessorsHinted(Class<?> record, DefaultGenerationContext generation) {
		for (RecordComponent component : record.getRecordComponents()) {
			assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(record, component.getName()))
				.as("%s.%s()", record.getSimpleName(), component.getName())
				.accepts(generation.getRuntimeHints());
			if (component.getType().isRecord()) {
				assertAccessorsHinted(component.getType(), generation);
			}
		}
	}

	private static DefaultGenerationContext process(GenericApplicationContext context, InMemoryGeneratedFiles files) {
		DefaultGenerationContext generation = new DefaultGenerationContext(
				new ClassNameGenerator(ClassName.get("io.httppool.aot", "TestApplication")), files);
		new ApplicationContextAotGenerator().processAheadOfTime(context, generation);
		generation.writeGeneratedContent();
		return generation;
	}

	private static String content(InMemoryGeneratedFiles files, String path) {
		try {
			String content = files.getGeneratedFileContent(Kind.SOURCE, path);
			assertThat(content).as(path).isNotNull();
			return content;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
