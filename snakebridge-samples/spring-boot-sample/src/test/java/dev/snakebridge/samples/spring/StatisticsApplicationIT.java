package dev.snakebridge.samples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/** The service over HTTP: its endpoint answers with numpy's figures, its health and metrics show the pool. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class StatisticsApplicationIT {
  @Value("${local.server.port}")
  int port;

  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theEndpointComputesWithNumpy() throws Exception {
    HttpResponse<String> response = get("/statistics?values=2,4,4,4,5,5,7,9");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"count\":8", "\"mean\":5.0", "\"std\":2.0", "\"median\":4.5");
  }

  @Test
  void healthShowsThePools() throws Exception {
    HttpResponse<String> health = get("/actuator/health");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).contains("\"snakebridge\"", "\"pools\"", "\"default\"", "\"batch\"", "\"workers\":2");
  }

  @Test
  void metricsShowTheCallsAndTheWorkers() throws Exception {
    get("/statistics?values=1,2,3");
    HttpResponse<String> calls = get("/actuator/metrics/snakebridge.calls");
    assertThat(calls.statusCode()).isEqualTo(200);
    assertThat(calls.body()).contains("\"COUNT\"", "\"kind\"", "\"sync\"", "\"outcome\"", "\"success\"");
    HttpResponse<String> workers = get("/actuator/metrics/snakebridge.workers.live?tag=pool:default");
    assertThat(workers.body()).contains("\"value\":2.0");
  }

  @Test
  void prometheusScrapesTheNamesTheDashboardQueries() throws Exception {
    get("/statistics?values=1,2,3");
    String scrape = get("/actuator/prometheus").body();
    assertThat(scrape).contains(
        "snakebridge_calls_seconds_bucket{", "snakebridge_calls_seconds_count{",
        "outcome=\"success\"", "kind=\"sync\"",
        "snakebridge_workers_busy{", "snakebridge_workers_live{", "snakebridge_queue_depth{",
        "snakebridge_worker_restarts_total{", "snakebridge_worker_recycles_total{", "snakebridge_refs_live{",
        "snakebridge_bulk_bytes_total{");
  }
}
