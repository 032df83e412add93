package org.hri.pipeline.secrets;

import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigData;
import org.apache.kafka.common.config.provider.ConfigProvider;

/**
 * Lets a Kafka client read a {@code file:} secret when it starts, as {@code ${hri-file:/path:value}}: the
 * file's content without its trailing line break, like {@link Secret#reveal} (Kafka's own file providers keep
 * the line break an editor or {@code echo} leaves).
 */
public final class SecretFileConfigProvider implements ConfigProvider {
  static final String KEY = "value";

  @Override
  public void configure(Map<String, ?> configs) {}

  @Override
  public ConfigData get(String path) {
    return new ConfigData(Map.of(KEY, Secret.of("a Kafka secret", Secret.FILE + path).reveal()));
  }

  @Override
  public ConfigData get(String path, Set<String> keys) {
    return keys.contains(KEY) ? get(path) : new ConfigData(Map.of());
  }

  @Override
  public void close() {}
}
