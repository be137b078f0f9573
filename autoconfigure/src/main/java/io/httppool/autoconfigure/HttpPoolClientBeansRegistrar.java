package io.httppool.autoconfigure;

import io.httppool.HttpPoolClients;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.AutowireCapableBeanFactory;
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
 * <p>
 * The definitions name a static factory method of this class and carry the client name as
 * an argument value, so that Spring AOT can write them out as code: under AOT the set of
 * client names is the one seen at build time, like every other condition.
 *
 * @author http-pool team
 */
class HttpPoolClientBeansRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware {

	// set by Spring (EnvironmentAware) before registerBeanDefinitions runs
	@SuppressWarnings("NullAway.Init")
	private Environment environment;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
		for (String name : HttpPoolSettingsMapper.clientNames(this.environment)) {
			register(registry, name, name + "WebClient", WebClient.class, "webClient");
			register(registry, name, name + "RestClient", RestClient.class, "restClient");
		}
	}

	private void register(BeanDefinitionRegistry registry, String clientName, String beanName, Class<?> type,
			String factoryMethod) {
		if (registry.containsBeanDefinition(beanName)) {
			return;
		}
		RootBeanDefinition definition = new RootBeanDefinition(HttpPoolClientBeansRegistrar.class);
		definition.setFactoryMethodName(factoryMethod);
		definition.setTargetType(type);
		// the registry is autowired, the client name is given
		definition.setAutowireMode(AutowireCapableBeanFactory.AUTOWIRE_CONSTRUCTOR);
		definition.getConstructorArgumentValues().addIndexedArgumentValue(1, clientName);
		definition.addQualifier(new AutowireCandidateQualifier(Qualifier.class, clientName));
		registry.registerBeanDefinition(beanName, definition);
	}

	static WebClient webClient(HttpPoolClients clients, String clientName) {
		return clients.get(clientName).webClient();
	}

	static RestClient restClient(HttpPoolClients clients, String clientName) {
		return clients.get(clientName).restClient();
	}

}
