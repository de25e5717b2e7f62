# Makes what git cannot hold (links, modes, owners, archives).
printf '\357\273\277*.md\n' > .dockerignore
