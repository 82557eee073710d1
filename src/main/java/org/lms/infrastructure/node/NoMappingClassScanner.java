package org.lms.infrastructure.node;

import jakarta.data.repository.DataRepository;
import java.util.Set;
import org.eclipse.jnosql.mapping.metadata.ClassScanner;

/**
 * Tells JNoSQL's CDI extensions that this application has no mapped entities, embeddables or
 * repositories, which is true: the store uses JNoSQL's communication API only (ADR 0002). JNoSQL
 * takes the first {@link ClassScanner} its {@code ServiceLoader} finds, and the WAR's own classes
 * come before its libraries; without this one its ClassGraph scanner reads every class of Payara's
 * several hundred jars at deployment (measured: 18 s, and an OutOfMemoryError at {@code -Xmx384m}).
 */
public final class NoMappingClassScanner implements ClassScanner {

  @Override
  public Set<Class<?>> entities() {
    return Set.of();
  }

  @Override
  public Set<Class<?>> repositories() {
    return Set.of();
  }

  @Override
  public Set<Class<?>> embeddables() {
    return Set.of();
  }

  @Override
  public <T extends DataRepository<?, ?>> Set<Class<?>> repositories(Class<T> filter) {
    return Set.of();
  }

  @Override
  public Set<Class<?>> repositoriesStandard() {
    return Set.of();
  }

  @Override
  public Set<Class<?>> customRepositories() {
    return Set.of();
  }
}
