# shipment-notifier: API and workers in one image; choose what a container runs with its command.
FROM node:20-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
COPY templates ./templates
USER node
EXPOSE 3000
# node runs directly (not through npm) so SIGTERM reaches the process and drains in-flight jobs.
CMD ["node", "--import", "tsx", "src/cli.ts", "start"]
