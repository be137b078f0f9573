package io.httppool.autoconfigure;

import java.util.function.Function;

import io.httppool.HttpPoolClient;
import io.httppool.HttpPoolClients;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Registers {@code <name>WebClient} and {@code <name>RestClient} for every configured
 * client, qualified with {@code @Qualifier("<name>")}. A bean the application defines
 * under the same name wins.
 *
 * @author http-pool team
 */
class HttpPoolClientBeansRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware, BeanFactoryAware {

	@SuppressWarnings("NullAway.Init")
	private Environment environment;

	@SuppressWarnings("NullAway.Init")
	private BeanFactory beanFactory;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
		for (String name : HttpPoolSettingsMapper.clientNames(this.environment)) {
			register(registry, name, name + "WebClient", WebClient.class, HttpPoolClient::webClient);
			register(registry, name, name + "RestClient", RestClient.class, HttpPoolClient::restClient);
		}
	}

	private <T> void register(BeanDefinitionRegistry registry, String clientName, String beanName, Class<T> type,
			Function<HttpPoolClient, T> accessor) {
		if (registry.containsBeanDefinition(beanName)) {
			return;
		}
		RootBeanDefinition definition = new RootBeanDefinition(type,
				() -> accessor.apply(this.beanFactory.getBean(HttpPoolClients.class).get(clientName)));
		definition.addQualifier(new AutowireCandidateQualifier(Qualifier.class, clientName));
		definition.setDependsOn("httpPoolClients");
		registry.registerBeanDefinition(beanName, definition);
	}

}
