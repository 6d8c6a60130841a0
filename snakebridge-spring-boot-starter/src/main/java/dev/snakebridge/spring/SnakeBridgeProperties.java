package dev.snakebridge.spring;

import dev.snakebridge.Affinity;
import dev.snakebridge.ErrorMode;
import dev.snakebridge.Transport;
import dev.snakebridge.WorkerProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code snakebridge.*} application properties: the runtime's own property names (docs/GUIDE.md,
 * "Configuration"), with Spring's relaxed binding ({@code snakebridge.pool-size} or {@code
 * snakebridge.poolSize}), plus {@code snakebridge.enabled}. An option left unset keeps the runtime's
 * default; values are checked by the runtime's own configuration, which names a bad one.
 */
@ConfigurationProperties("snakebridge")
public class SnakeBridgeProperties {
  /** Whether to start a SnakeBridge runtime with the application context. */
  private boolean enabled = true;
  /** Whether the static SnakeBridge facade (and generated wrappers) call this runtime. */
  private boolean staticFacade = true;
  /** The interpreter, launched exactly as given; unset: SNAKEBRIDGE_PYTHON, $VIRTUAL_ENV/bin/python, python3. */
  private String python;
  /** Workers in the default pool; unset: one per available processor. */
  private Integer poolSize;
  /** Directories of helper modules, put in front of the workers' sys.path. */
  private List<String> helperPaths = new ArrayList<>();
  /** How Python errors are presented: as raised (RAW), or ML errors as typed exceptions (TRANSLATED). */
  private ErrorMode errorMode;
  /** How long a worker may take to start. */
  private Duration startupTimeout;
  /** How long a call may take unless its CallOptions say otherwise. */
  private Duration callTimeout;
  /** Where the Python worker files are unpacked. */
  private String workerCacheDir;
  /** Level of the workers' root logger: DEBUG, INFO, WARNING, ERROR or CRITICAL. */
  private String pythonLogLevel;
  /** Environment variables of the worker processes. */
  private Map<String, String> environment = new LinkedHashMap<>();
  /** The affinity of calls that do not set one. */
  private Affinity affinity;
  /** Refs idle for longer are released. */
  private Duration refTtl;
  /** The most live refs one session holds; beyond it the least recently used is evicted. */
  private Integer maxRefsPerSession;
  /** How long releasing a session in its workers may take before it is reported as failed. */
  private Duration sessionCleanupTimeout;
  /** Named timeout profiles: a duration (seconds or ISO-8601), or none for no timeout. */
  private Map<String, String> timeoutProfile = new LinkedHashMap<>();
  /** The timeout profile of calls into modules starting with the key (torch: mlInference). */
  private Map<String, String> libraryTimeoutProfile = new LinkedHashMap<>();
  /** How often idle workers are pinged; one silent for 3 intervals is replaced. */
  private Duration heartbeatInterval;
  /** Microseconds each side polls for the next frame before it sleeps (0 turns polling off). */
  private Integer spinMicros;
  /** Items fetched per round trip when iterating a Python iterator; 0 is adaptive. */
  private Integer iterationBatch;
  /** Buffers at least this many bytes large travel through a shared-memory file. */
  private Integer largeBufferThreshold;
  /** Where the shared-memory files of large buffers are made. */
  private String largeBufferDirectory;
  /** How frames travel between the JVM and its workers. */
  private Transport transport;
  /** Size in bytes of each shared-memory ring: a power of two from 4096 to 2^30. */
  private Integer ringBytes;
  /** Whether workers are forked from a pre-warmed template process per pool (Linux). */
  private Boolean forkServer;
  /** Whether an interpreter whose packages differ from the project's lock fails start-up (else: one warning). */
  private Boolean strictEnvironment;
  /** Named pools; the pool named default replaces the default pool. */
  private Map<String, Pool> pool = new LinkedHashMap<>();
  /** The Micrometer meters, when Micrometer and snakebridge-micrometer are on the classpath. */
  private final Metrics metrics = new Metrics();

  /** {@code snakebridge.metrics.*}: options of the Micrometer meters (not runtime options). */
  public static class Metrics {
    /** Whether to bind the SnakeBridge meters to the application's meter registries. */
    private boolean enabled = true;
    /** Also tag snakebridge.calls with module and function: one series per function called. */
    private boolean moduleAndFunctionTags;

    public boolean isEnabled() { return enabled; }
    public void setEnabled(boolean enabled) { this.enabled = enabled; }
    public boolean isModuleAndFunctionTags() { return moduleAndFunctionTags; }
    public void setModuleAndFunctionTags(boolean on) { this.moduleAndFunctionTags = on; }
  }

  /** {@code snakebridge.tracing.*}: OpenTelemetry tracing of calls (not runtime options). */
  public static class Tracing {
    /** Whether to trace calls when an OpenTelemetry bean and snakebridge-opentelemetry are there. */
    private boolean enabled = true;

    public boolean isEnabled() { return enabled; }
    public void setEnabled(boolean enabled) { this.enabled = enabled; }
  }

  /** OpenTelemetry tracing of calls, when an OpenTelemetry bean and snakebridge-opentelemetry are there. */
  private final Tracing tracing = new Tracing();

  /** One named pool: {@code snakebridge.pool.<name>.*}. */
  public static class Pool {
    /** Worker processes in the pool. */
    private Integer size;
    /** The pool's interpreter, launched exactly as given. */
    private String python;
    /** Environment variables of the pool's workers. */
    private Map<String, String> environment = new LinkedHashMap<>();
    /** Modules each worker imports before it reports ready. */
    private List<String> startupImports = new ArrayList<>();
    /** One user call at a time per worker process (PROCESS), or threads-per-worker at once (THREAD). */
    private WorkerProfile profile;
    /** User calls one worker runs at once under the THREAD profile. */
    private Integer threadsPerWorker;
    /** User calls the JVM keeps in flight to one worker. */
    private Integer pipelineDepth;
    /** The most calls that may wait in the pool's queues. */
    private Integer maxQueue;
    /** How long a call may wait in a queue before PoolSaturatedException. */
    private Duration queueTimeout;
    /** A worker is replaced after this many calls; 0 never. */
    private Long recycleAfterCalls;
    /** A worker whose resident memory exceeds this many bytes is replaced; 0 never. */
    private Long recycleAboveMemoryBytes;

    public Integer getSize() { return size; }
    public void setSize(Integer size) { this.size = size; }
    public String getPython() { return python; }
    public void setPython(String python) { this.python = python; }
    public Map<String, String> getEnvironment() { return environment; }
    public void setEnvironment(Map<String, String> environment) { this.environment = environment; }
    public List<String> getStartupImports() { return startupImports; }
    public void setStartupImports(List<String> startupImports) { this.startupImports = startupImports; }
    public WorkerProfile getProfile() { return profile; }
    public void setProfile(WorkerProfile profile) { this.profile = profile; }
    public Integer getThreadsPerWorker() { return threadsPerWorker; }
    public void setThreadsPerWorker(Integer threadsPerWorker) { this.threadsPerWorker = threadsPerWorker; }
    public Integer getPipelineDepth() { return pipelineDepth; }
    public void setPipelineDepth(Integer pipelineDepth) { this.pipelineDepth = pipelineDepth; }
    public Integer getMaxQueue() { return maxQueue; }
    public void setMaxQueue(Integer maxQueue) { this.maxQueue = maxQueue; }
    public Duration getQueueTimeout() { return queueTimeout; }
    public void setQueueTimeout(Duration queueTimeout) { this.queueTimeout = queueTimeout; }
    public Long getRecycleAfterCalls() { return recycleAfterCalls; }
    public void setRecycleAfterCalls(Long recycleAfterCalls) { this.recycleAfterCalls = recycleAfterCalls; }
    public Long getRecycleAboveMemoryBytes() { return recycleAboveMemoryBytes; }
    public void setRecycleAboveMemoryBytes(Long bytes) { this.recycleAboveMemoryBytes = bytes; }
  }

  public boolean isEnabled() { return enabled; }
  public void setEnabled(boolean enabled) { this.enabled = enabled; }
  public boolean isStaticFacade() { return staticFacade; }
  public void setStaticFacade(boolean staticFacade) { this.staticFacade = staticFacade; }
  public String getPython() { return python; }
  public void setPython(String python) { this.python = python; }
  public Integer getPoolSize() { return poolSize; }
  public void setPoolSize(Integer poolSize) { this.poolSize = poolSize; }
  public List<String> getHelperPaths() { return helperPaths; }
  public void setHelperPaths(List<String> helperPaths) { this.helperPaths = helperPaths; }
  public ErrorMode getErrorMode() { return errorMode; }
  public void setErrorMode(ErrorMode errorMode) { this.errorMode = errorMode; }
  public Duration getStartupTimeout() { return startupTimeout; }
  public void setStartupTimeout(Duration startupTimeout) { this.startupTimeout = startupTimeout; }
  public Duration getCallTimeout() { return callTimeout; }
  public void setCallTimeout(Duration callTimeout) { this.callTimeout = callTimeout; }
  public String getWorkerCacheDir() { return workerCacheDir; }
  public void setWorkerCacheDir(String workerCacheDir) { this.workerCacheDir = workerCacheDir; }
  public String getPythonLogLevel() { return pythonLogLevel; }
  public void setPythonLogLevel(String pythonLogLevel) { this.pythonLogLevel = pythonLogLevel; }
  public Map<String, String> getEnvironment() { return environment; }
  public void setEnvironment(Map<String, String> environment) { this.environment = environment; }
  public Affinity getAffinity() { return affinity; }
  public void setAffinity(Affinity affinity) { this.affinity = affinity; }
  public Duration getRefTtl() { return refTtl; }
  public void setRefTtl(Duration refTtl) { this.refTtl = refTtl; }
  public Integer getMaxRefsPerSession() { return maxRefsPerSession; }
  public void setMaxRefsPerSession(Integer maxRefsPerSession) { this.maxRefsPerSession = maxRefsPerSession; }
  public Duration getSessionCleanupTimeout() { return sessionCleanupTimeout; }
  public void setSessionCleanupTimeout(Duration timeout) { this.sessionCleanupTimeout = timeout; }
  public Map<String, String> getTimeoutProfile() { return timeoutProfile; }
  public void setTimeoutProfile(Map<String, String> timeoutProfile) { this.timeoutProfile = timeoutProfile; }
  public Map<String, String> getLibraryTimeoutProfile() { return libraryTimeoutProfile; }
  public void setLibraryTimeoutProfile(Map<String, String> profiles) { this.libraryTimeoutProfile = profiles; }
  public Duration getHeartbeatInterval() { return heartbeatInterval; }
  public void setHeartbeatInterval(Duration heartbeatInterval) { this.heartbeatInterval = heartbeatInterval; }
  public Integer getSpinMicros() { return spinMicros; }
  public void setSpinMicros(Integer spinMicros) { this.spinMicros = spinMicros; }
  public Integer getIterationBatch() { return iterationBatch; }
  public void setIterationBatch(Integer iterationBatch) { this.iterationBatch = iterationBatch; }
  public Integer getLargeBufferThreshold() { return largeBufferThreshold; }
  public void setLargeBufferThreshold(Integer bytes) { this.largeBufferThreshold = bytes; }
  public String getLargeBufferDirectory() { return largeBufferDirectory; }
  public void setLargeBufferDirectory(String largeBufferDirectory) { this.largeBufferDirectory = largeBufferDirectory; }
  public Transport getTransport() { return transport; }
  public void setTransport(Transport transport) { this.transport = transport; }
  public Integer getRingBytes() { return ringBytes; }
  public void setRingBytes(Integer ringBytes) { this.ringBytes = ringBytes; }
  public Boolean getForkServer() { return forkServer; }
  public void setForkServer(Boolean forkServer) { this.forkServer = forkServer; }
  public Boolean getStrictEnvironment() { return strictEnvironment; }
  public void setStrictEnvironment(Boolean strictEnvironment) { this.strictEnvironment = strictEnvironment; }
  public Metrics getMetrics() { return metrics; }
  public Tracing getTracing() { return tracing; }
  public Map<String, Pool> getPool() { return pool; }
  public void setPool(Map<String, Pool> pool) { this.pool = pool; }
}
